"""What the command line reads and prints, made safe: bounded reads, text that cannot drive a terminal, one-line errors.

Stored text is anyone's: a body may hold `ESC ] 0 ; … BEL` (which retitles a
terminal window) or a display name a BEL. On a terminal those are printed as
`\\x1b`-style escapes; into a pipe or a file the text goes as it is, for
scripts. Errors are always one line. Files and standard input are read up to
a limit plus one byte, so `/dev/zero` or a runaway pipe is refused rather than
read until memory runs out.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from pathlib import Path
from typing import NoReturn, TextIO

from newsdesk.core.errors import InvalidField

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose error line cannot be split or coloured by the value it quotes (every command's parser is one)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def for_terminal(text: str, stream: TextIO) -> str:
    """`text` with control characters (but line breaks and tabs) escaped when `stream` is a terminal."""
    isatty = getattr(stream, "isatty", None)
    return _CONTROL.sub(_escape, text) if isatty is not None and isatty() else text


def one_line(text: str) -> str:
    """`text` as one printable line: breaks become spaces, other control characters escapes."""
    text = " ".join(text.splitlines())
    return _CONTROL_OR_BREAK.sub(_escape, text)


def read_bytes(path: Path | str, limit: int, field: str) -> bytes:
    """At most `limit` bytes of the file at `path` (`-`: standard input), or InvalidField naming `field` and why not.

    A named pipe is read as it comes, as `cat` would, so its reader waits for a writer.
    """
    if str(path) == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        data = buffer.read(limit + 1) if buffer is not None else sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
        return _within(data, limit, "standard input", field)
    shown = shorten(one_line(str(path)))
    try:
        with Path(path).open("rb") as file:
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise InvalidField(field, f"{shown}: no such file.") from None
    except IsADirectoryError:
        raise InvalidField(field, f"{shown} is a folder; give a file.") from None
    except OSError as error:
        raise InvalidField(field, f"Cannot read {shown}: {error.strerror or error}.") from None
    return _within(data, limit, shown, field)


def check_path(path: Path | str, field: str) -> None:
    """InvalidField when `path` cannot name a file at all (a name too long, a link loop); a missing one is fine."""
    try:
        Path(path).stat()
    except OSError as error:
        if error.errno in (errno.ENAMETOOLONG, errno.ELOOP):  # other troubles are the writer's to say in its own words
            raise InvalidField(field, f"{shorten(one_line(str(path)))} cannot name a file: {error.strerror or error}.") from None


def shorten(text: str, most: int = 300) -> str:
    """`text` cut in the middle when longer than `most` characters, so a hostile value cannot fill the screen."""
    return text if len(text) <= most else f"{text[: most // 2]}…{text[-most // 2:]} ({len(text):,} characters)"


def _within(data: bytes, limit: int, name: str, field: str) -> bytes:
    if len(data) > limit:
        raise InvalidField(field, f"{name} is over {limit / 1_000_000:g} MB, more than Newsdesk takes here; give a smaller file.")
    return data


def decode(data: bytes, name: str, field: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or InvalidField saying `name` is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidField(field, f"{one_line(name)} is not UTF-8 text (byte {error.start + 1}); save it as UTF-8 and try again.") from None
