"""AP-style datelines: the `UNITED NATIONS (AP) —` that leads a story's first paragraph.

The city goes in capitals, what follows the first comma (state, country) stays
as typed, an optional date uses AP's month abbreviations, and the credit sits
in parentheses before an em dash. `parse` reads the same forms back from wire
copy, which also arrives with en dashes, hyphens and Reuters-style dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from newsdesk.core.errors import InvalidField

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
MAX_PLACE = 100
MAX_CREDIT = 40

_MONTH_WORDS = {
    **{name.rstrip(".").lower(): number for number, name in enumerate(AP_MONTHS, start=1)},
    **{name.lower(): number for number, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"), start=1)},
    **{name.lower(): number for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)},
}
_CREDIT = re.compile(r"^[\w][\w .&'’/-]*$", re.UNICODE)
_LEAD = re.compile(
    r"""^\s*(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]*[A-ZÀ-ÖØ-Þ.](?:,\s*(?![A-Z][a-z]{2,8}\.?\s+\d)[A-ZÀ-ÖØ-Þ][\w .'’-]*?)?)
        (?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}))?
        \s*\((?P<credit>[^()\n]{1,40})\)\s*[—–-]{1,2}\s*""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    place: str = ""
    credit: str = ""
    date: date | None = None

    def __bool__(self) -> bool:
        return bool(self.place)

    def format(self) -> str:
        """The dateline as it leads the story, or "" when there is no place."""
        return format_dateline(self)


def format_dateline(dateline: Dateline) -> str:
    if not dateline.place.strip():
        return ""
    city, _, rest = dateline.place.strip().partition(",")
    text = city.strip().upper()
    if rest.strip():
        text += ", " + rest.strip()
    if dateline.date is not None:
        text += f", {AP_MONTHS[dateline.date.month - 1]} {dateline.date.day}"
    if dateline.credit.strip():
        text += f" ({dateline.credit.strip()})"
    return text + " —"


def validate(dateline: Dateline) -> Dateline:
    """The dateline cleaned of stray spaces, or InvalidField saying what is wrong."""
    place = " ".join(dateline.place.split())
    credit = " ".join(dateline.credit.split())
    if len(place) > MAX_PLACE:
        raise InvalidField("dateline.place", f"The dateline place is {len(place)} characters long; keep it under {MAX_PLACE}.")
    if any(mark in place for mark in "()—–"):
        raise InvalidField("dateline.place", "Write the dateline place alone (for example UNITED NATIONS or KYIV, Ukraine); the credit and dash are added for you.")
    if credit and not place:
        raise InvalidField("dateline.place", "A dateline credit needs a place: where was the story reported from?")
    if credit and (len(credit) > MAX_CREDIT or not _CREDIT.match(credit)):
        raise InvalidField("dateline.credit", "The dateline credit should be a short name such as AP, Reuters or your newsroom's name.")
    if dateline.date is not None and not place:
        raise InvalidField("dateline.place", "A dateline date needs a place.")
    return Dateline(place=place, credit=credit, date=dateline.date)


def parse_date(value: str) -> date | None:
    """An ISO date (2026-11-29) or nothing; a wrong one is an InvalidField."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidField("dateline.date", f"“{value}” is not a date; write it as YYYY-MM-DD, for example 2026-11-29.") from None


def parse(text: str, *, year: int | None = None) -> tuple[Dateline, str] | None:
    """Split a leading dateline off a paragraph of wire copy: `(Dateline, the rest)`, or None.

    `year` dates a dateline that names a month and day (wire copy never gives the year).
    """
    match = _LEAD.match(text)
    if not match:
        return None
    found: date | None = None
    if match["month"]:
        month = _MONTH_WORDS.get(match["month"].lower())
        if month is None:
            return None
        try:
            found = date(year or date.today().year, month, int(match["day"]))
        except ValueError:
            return None
    place = match["place"].strip()
    city, comma, rest = place.partition(",")
    place = city.strip() + (", " + rest.strip() if comma else "")
    return Dateline(place=place, credit=match["credit"].strip(), date=found), text[match.end():]
