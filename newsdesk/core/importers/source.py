"""Reading a file to import: which kind it is, and its bytes decoded to text.

Files come from agencies, other newsrooms and old hard drives, so the
encoding is guessed in a fixed order: a byte-order mark (UTF-8, UTF-16 or
UTF-32) wins, then strict UTF-8, then a saved page's own `<meta charset>`, and
last Windows-1252, what Word and older wire systems write. An empty file or one
that is not text at all is refused with a message a reporter can act on.
"""

from __future__ import annotations

import codecs
import re
from enum import StrEnum
from pathlib import Path

from newsdesk.core.errors import ImportFailed

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_BYTES = 20 * 1024 * 1024
NOT_TEXT = (
    "the file is not text (it looks like a binary file: a picture, a PDF or a word-processor file?). "
    "Save it as plain text, Markdown, HTML or ninjs JSON first."
)


class Kind(StrEnum):
    """The importers, named for what they read."""

    WIRE = "wire"
    MARKDOWN = "markdown"
    HTML = "html"
    NINJS = "ninjs"


_EXTENSIONS = {
    ".txt": Kind.WIRE, ".text": Kind.WIRE, ".wire": Kind.WIRE,
    ".md": Kind.MARKDOWN, ".markdown": Kind.MARKDOWN, ".mdown": Kind.MARKDOWN,
    ".html": Kind.HTML, ".htm": Kind.HTML, ".xhtml": Kind.HTML,
    ".json": Kind.NINJS, ".ninjs": Kind.NINJS,
}
EXTENSIONS = tuple(_EXTENSIONS)


def decode(data: bytes, *, html: bool = False) -> str:
    """The text of a file's bytes, or ImportFailed saying why it is not text Newsdesk can read."""
    if len(data) > MAX_BYTES:
        raise ImportFailed(
            f"the file is {len(data) / 1024 / 1024:.0f} MB; stories are imported from files under {MAX_BYTES // 1024 // 1024} MB."
        )
    text = _decode(data, html=html)
    if not text.strip():
        raise ImportFailed("the file is empty.")
    if "\x00" in text or len(_CONTROL.findall(text[:4096])) > max(8, len(text[:4096]) // 100):
        raise ImportFailed(NOT_TEXT)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, *, html: bool) -> str:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                name = encoding.upper().replace("-SIG", "")
                raise ImportFailed(f"the file starts with a {name} byte-order mark but is not valid {name} text.") from None
    if b"\x00" in data:
        raise ImportFailed(NOT_TEXT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_charset(data)
        if declared is not None:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFailed(
            "the text is in an encoding Newsdesk cannot recognise (not UTF-8, UTF-16 or Windows-1252); "
            "save it as UTF-8 and import it again."
        ) from None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def detect(path: Path, text: str) -> Kind:
    """The importer for a file: by its extension, or by a look at the text when the extension says nothing."""
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension is not None:
        return by_extension
    start = text.lstrip("\ufeff \t\n")[:512].lower()
    if start.startswith("{"):
        return Kind.NINJS
    if start.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in start or "<head" in start:
        return Kind.HTML
    if start.startswith(("---\n", "# ")):
        return Kind.MARKDOWN
    return Kind.WIRE


def read(path: Path) -> tuple[Kind, str]:
    """Read and decode one file; ImportFailed (without the file's name) when it cannot be."""
    return text_of(path, load(path))


def load(path: Path) -> bytes:
    """One file's bytes, read once (the importer hashes the same bytes it decodes); ImportFailed when they cannot be read."""
    try:
        if path.is_dir():
            raise ImportFailed("it is a folder, not a file.")
        with path.open("rb") as file:
            return file.read(MAX_BYTES + 1)  # one byte past the limit is enough for `decode` to refuse a file too big
    except FileNotFoundError:
        raise ImportFailed("there is no such file.") from None
    except PermissionError:
        raise ImportFailed("Newsdesk may not read the file (permission denied).") from None
    except OSError as error:
        raise ImportFailed(f"the file cannot be read ({error.strerror or error}).") from None


def text_of(path: Path, data: bytes) -> tuple[Kind, str]:
    """The kind and the decoded text of the bytes read from `path`; ImportFailed when they are not text."""
    html = _EXTENSIONS.get(path.suffix.lower()) is Kind.HTML
    text = decode(data, html=html)
    return detect(path, text), text
