"""Times are stored in UTC and shown in local time; these helpers keep that one rule.

Pure: the store's column type that applies them on every engine is
`store.timeutil.UTCDateTime`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.core.errors import InvalidField


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond, timezone-aware."""
    return datetime.now(UTC)


def as_utc(value: datetime, *, field: str = "time") -> datetime:
    """A naive time is taken as local time, as a reporter would type it.

    A time whose UTC equivalent falls outside the years 1 to 9999 (such as
    9999-12-31T23:59-14:00) is an InvalidField naming `field`, not an OverflowError.
    """
    try:
        if value.tzinfo is None:
            value = value.astimezone()
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidField(field, f"{value.isoformat()} is outside the calendar the store keeps (years 1 to 9999 in UTC); "
                                  "check the year and the time zone.") from None


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, the form `--json` output and feeds use."""
    if value is None:
        return None
    return as_utc(value).isoformat().replace("+00:00", "Z")
