"""Argument types shared by the commands: numbers the store can hold, and story references.

Ids, revision numbers, limits and offsets are whole numbers in ASCII digits
from 0 (or 1) to 2,147,483,647, the largest integer both engines keep
(PostgreSQL's INTEGER); anything else is refused by argparse with one line
naming the argument, before the store is opened. `int()` alone would take
`²`-like digits it then cannot read, `1_000`, or a number past the engines' range.

A story reference is an id (ASCII digits) or else a slug or guid. Slugs are
never all digits (`core.rules.slugs` refuses them), so a reference is never
ambiguous.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

LARGEST = 2**31 - 1
"""The largest id, revision number, limit or offset: PostgreSQL's INTEGER, which SQLite's range contains."""


def whole_number(minimum: int, what: str = "number") -> Callable[[str], int]:
    """An argparse type: a whole number from `minimum` to LARGEST."""

    def parse(value: str) -> int:
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            raise argparse.ArgumentTypeError(f"“{value}” is not a {what}: give a whole number from {minimum} to {LARGEST} in digits 0-9")
        number = int(text)
        if not minimum <= number <= LARGEST:
            raise argparse.ArgumentTypeError(f"{what} {text} is out of range: give a whole number from {minimum} to {LARGEST}")
        return number

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


def story_ref(value: str) -> str:
    """An argparse type: an id, slug or guid, given back as it was; digits past an id's range or not 0-9 are refused."""
    text = value.strip()
    if text.isdigit():
        if not text.isascii():
            raise argparse.ArgumentTypeError(f"“{value}” is not a story id: write ids with the digits 0-9")
        if int(text) > LARGEST:
            raise argparse.ArgumentTypeError(f"there is no story {text}: ids go up to {LARGEST}")
    return value


def revision(value: str) -> int | str:
    """An argparse type for `story diff`: a revision number, or `current`."""
    if value.strip().lower() == "current":
        return "current"
    return whole_number(1, "revision")(value)


def day(value: str) -> date:
    """An argparse type: a local calendar day, `today`, `tomorrow` or 2026-12-01."""
    text = value.strip().casefold()
    today = datetime.now(UTC).astimezone().date()
    if text == "today":
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a day: give today, tomorrow or a date such as 2026-12-01") from None


def assignments(words: list[str]) -> dict[str, str]:
    """FIELD=VALUE words (`story set`, `image set`) as a mapping; InvalidField for a word without `=`."""
    from newsdesk.core.errors import InvalidField

    changes: dict[str, str] = {}
    for assignment in words:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise InvalidField("assignment", f"“{assignment}” is not FIELD=VALUE (for example headline=\"New headline\").")
        changes[name.strip()] = value
    return changes
