"""What an importer makes of a file before anything is stored: a `Draft`, plus the helpers they share.

Importers only read; `importers.import_files` turns a Draft into a story in one
transaction. Keeping the two apart means a file that cannot be read never
touches the store, and every importer can be tested without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import dateline as datelines
from newsdesk.core.rules.corrections import Kind
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.images import Placement

_AGENCY_TAIL = re.compile(
    r"[\s,;|–—-]*\b(?:The\s+)?(?:Associated\s+Press|AP|Reuters|AFP|Agence\s+France-Presse|Bloomberg(?:\s+News)?|dpa|UPI)\b\.?\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*by[\s:]+", re.IGNORECASE)
_SURNAME_PREFIX = re.compile(r"^(Mc|Mac|O['’]|D['’])(\w)(\w*)$", re.IGNORECASE)
_PARTICLES = {"de", "da", "del", "della", "der", "den", "van", "von", "le", "la", "du", "dos", "das", "al", "el", "bin", "ibn", "ter"}


@dataclass(frozen=True)
class RelatedItem:
    """A related link as found in a file: a title with a URL, another story's guid, or neither."""

    title: str
    url: str | None = None
    guid: str | None = None


@dataclass(frozen=True)
class ImageRef:
    """An image a file points at, as written there: `src` (a path, a file: URL or a web address) and its place."""

    src: str
    placement: Placement


@dataclass
class Draft:
    """A story as read from a file. `fields` holds EDITABLE field names (dateline as a Dateline).

    `found` says where each piece came from, for the import report: field name (`headline`, `byline`,
    `date`, `modified`, `language`, `credit`, `dateline`) → source (`JSON-LD author`, `meta
    article:published_time`, `h1 (confirmed by meta og:title)`, `py3langid`…). `published` and
    `modified` are the dates the file gives for the story; `credit` is the agency it names
    (AFP, Reuters…), also set as the dateline's credit when the text has a dateline without one.
    """

    headline: str
    fields: dict[str, Any] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_uri: str = ""
    found: dict[str, str] = field(default_factory=dict)
    published: date | None = None
    modified: date | None = None
    credit: str = ""
    corrections: list[tuple[Kind, str]] = field(default_factory=list)
    """The notices the file carries (a ninjs description per kind, front matter's `correction`), oldest first."""
    images: list[ImageRef] = field(default_factory=list)
    """The images the file points at, in order; `importers.pictures` reads them from beside the file."""


def lead_dateline(paragraph: str, *, year: int | None = None) -> tuple[Dateline, str] | None:
    """Split a valid dateline off the front of a paragraph: `(Dateline, rest)`, or None when there is none."""
    found = datelines.parse(paragraph, year=year)
    if found is None:
        return None
    parsed, rest = found
    try:
        checked = datelines.validate(parsed)
    except InvalidField:
        return None
    if not rest.strip():
        return None
    return checked, rest.lstrip()


def name_case(text: str) -> str:
    """A name typed in capitals, as wire bylines are, in ordinary case: `EDITH M. LEDERER` → `Edith M. Lederer`.

    Names already in mixed case are left alone: the agency knows its reporters' names better.
    """
    if any(ch.islower() for word in text.split() if word.lower() not in _PARTICLES | {"and"} for ch in word):
        return text
    words = []
    for word in text.split():
        lower = word.lower()
        if lower in _PARTICLES or lower == "and":
            words.append(lower)
            continue
        parts = re.split(r"([-’'])", lower)
        words.append("".join(part.capitalize() if index % 2 == 0 else part for index, part in enumerate(parts)))
    return " ".join(_surname_prefix(word) for word in words)


def _surname_prefix(word: str) -> str:
    match = _SURNAME_PREFIX.match(word)
    if match is None or len(word) < 4 or match.group(1).lower() == "mac":
        return word
    return match.group(1).capitalize() + match.group(2).upper() + match.group(3)


def clean_byline(text: str) -> str:
    """`By EDITH M. LEDERER, Associated Press` → `Edith M. Lederer`."""
    byline = _BY.sub("", " ".join(text.split()))
    byline = _AGENCY_TAIL.sub("", byline).strip(" ,;|–—-")
    return name_case(byline)


def year_of(value: Any) -> int | None:
    """The year in a date given as text (`2023-09-23T…`, `Date:2025-04-24 15:25`), if any."""
    if isinstance(value, date):
        return value.year
    match = re.search(r"\b(19\d\d|20\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def as_text_list(value: Any) -> list[str]:
    """A list of words from a list, or from a comma-separated string; other values give nothing."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return []
    return [" ".join(str(item).split()) for item in items if isinstance(item, (str, int, float)) and str(item).strip()]
