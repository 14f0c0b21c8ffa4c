"""Reading a photograph someone adds: what it is (judged by its content, never its name), its size and its credit.

The whole file is decoded once here, so a damaged one is refused whole before
anything is stored; Pillow's decompression-bomb guard is set to the
newsroom's pixel limit and its warning becomes a refusal too. The bytes kept
are the original's; the EXIF orientation is applied to the width and height
given (and to every rendition, `core.images.renditions`).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageFile, IptcImagePlugin, UnidentifiedImageError

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import images as rules
from newsdesk.core.rules import limits

_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: width and height swap."""
_XMP_FIELDS = {
    "credit": re.compile(r"photoshop:Credit(?:=\"([^\"]*)\"|>([^<]*)<)"),
    "creator": re.compile(r"dc:creator>\s*<rdf:Seq>\s*<rdf:li[^>]*>([^<]*)<"),
    "rights": re.compile(r"dc:rights>\s*<rdf:Alt>\s*<rdf:li[^>]*>([^<]*)<"),
}


@dataclass(frozen=True)
class Ingested:
    """A photograph ready for the store."""

    data: bytes
    sha256: str
    format: str
    width: int
    height: int
    credit: str


def ingest(data: bytes, name: str) -> Ingested:
    """Judge `data` (a file called `name`, for the message); InvalidField with a sentence when it cannot be a story's image."""
    problem = rules.too_big(len(data))
    if problem:
        raise InvalidField("image", f"{name} {problem}.")
    picture = open_checked(data, name)
    kind = rules.FORMATS.get(picture.format or "")
    if kind is None:
        raise InvalidField("image", f"{name} is a {picture.format} image; Newsdesk takes {rules.ACCEPTED} images.")
    width, height = picture.size
    if _orientation(picture) in _ROTATED:
        width, height = height, width
    return Ingested(data, hashlib.sha256(data).hexdigest(), kind, width, height, default_credit(picture))


def open_checked(data: bytes, name: str) -> ImageFile.ImageFile:
    """The decoded picture (its first frame), or InvalidField: not an image, too many pixels, damaged."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, rules.MAX_PIXELS
        try:
            picture = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidField("image", f"{name} has more pixels than an image may have "
                                        f"({rules.MAX_PIXELS // 1_000_000} megapixels at most).") from None
        except UnidentifiedImageError:
            raise InvalidField("image", f"{name} is not an image Newsdesk can read; give a {rules.ACCEPTED} file.") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:  # a header that breaks off (Pillow: "Truncated File Read")
            raise InvalidField("image", f"{name} is damaged ({_reason(error)}); nothing was stored. "
                                        "Export it again from its source.") from None
        finally:
            Image.MAX_IMAGE_PIXELS = previous
    problem = rules.too_many_pixels(*picture.size)
    if problem:
        raise InvalidField("image", f"{name} {problem}.")
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise InvalidField("image", f"{name} is damaged ({_reason(error)}); nothing was stored. Export it again from its source.") from None
    return picture


def _reason(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    return text[:120] if text else "it ends early or its data is broken"


def _orientation(picture: Image.Image) -> int:
    try:
        return int(picture.getexif().get(ExifTags.Base.Orientation, 1))
    except (ValueError, TypeError, SyntaxError):
        return 1


def default_credit(picture: ImageFile.ImageFile) -> str:
    """The credit the file carries: "Creator/Agency" from IPTC, else XMP, else EXIF; failing those, its copyright line."""
    found = _iptc(picture)
    for key, value in _xmp(picture).items():
        found.setdefault(key, value)
    for key, value in _exif(picture).items():
        found.setdefault(key, value)
    creator, agency = found.get("creator", ""), found.get("credit", "")
    credit = "/".join(part for part in (creator, agency) if part) or found.get("rights", "")
    return " ".join(credit.split())[: limits.IMAGE_CREDIT.length]


def _iptc(picture: ImageFile.ImageFile) -> dict[str, str]:
    try:
        info = IptcImagePlugin.getiptcinfo(picture) or {}
    except (SyntaxError, ValueError, IndexError, TypeError):
        return {}
    fields = {"creator": (2, 80), "credit": (2, 110), "rights": (2, 116)}
    return {name: text for name, key in fields.items() if (text := _text(info.get(key)))}


def _xmp(picture: Image.Image) -> dict[str, str]:
    raw = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp") or b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    found: dict[str, str] = {}
    for name, pattern in _XMP_FIELDS.items():
        match = pattern.search(text)
        if match:
            value = next((group for group in match.groups() if group), "").strip()
            if value:
                found[name] = value
    return found


def _exif(picture: Image.Image) -> dict[str, str]:
    try:
        exif = picture.getexif()
    except (ValueError, TypeError, SyntaxError):
        return {}
    fields = {"creator": ExifTags.Base.Artist, "rights": ExifTags.Base.Copyright}
    return {name: text for name, tag in fields.items() if (text := _text(exif.get(tag)))}


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value or "").replace("\x00", "").split())
