"""The store's one time column type: UTC on every engine (the time rules themselves are `rules.times`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator

from newsdesk.core.rules.times import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone on every engine and hands back aware datetimes.

    SQLite has no time zones and PostgreSQL's `timestamptz` would convert on
    the way out; one naive-UTC column type behaves the same on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:  # noqa: ARG002 (TypeDecorator's signature)
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:  # noqa: ARG002 (TypeDecorator's signature)
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
