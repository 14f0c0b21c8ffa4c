"""The window's one way to call the store: an engine's failure comes back as the StoreError of its kind, with its sentence."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from newsdesk.core.errors import InvalidField, StoreReadOnly
from newsdesk.ui.common.store_calls import attempt, on_store


def engine_error(message: str, code: int) -> OperationalError:
    original = sqlite3.OperationalError(message)
    original.sqlite_errorcode = code  # type: ignore[attr-defined]
    return OperationalError("UPDATE story SET …", {}, original)


def fail(error: Exception):
    def call() -> None:
        raise error

    return call


def test_on_store_raises_the_kind_with_the_sentence_and_keeps_the_cause(sqlite_store):
    cause = engine_error("attempt to write a readonly database", 8)
    with pytest.raises(StoreReadOnly, match=r"is read-only \(attempt to write a readonly database\); nothing was changed") as raised:
        on_store(fail(cause), sqlite_store)
    assert raised.value.__cause__ is cause and sqlite_store.url in raised.value.message
    assert on_store(lambda: 42, sqlite_store) == 42


def test_attempt_reports_a_store_failure_or_a_refusal_and_returns_none(sqlite_store):
    said: list[str] = []
    assert attempt(fail(engine_error("database is locked", 5)), sqlite_store, said.append) is None
    assert attempt(fail(InvalidField("headline", "A headline is needed.")), sqlite_store, said.append) is None
    assert attempt(lambda: "page", sqlite_store, said.append) == "page"
    assert len(said) == 2 and "is busy" in said[0] and said[1] == "A headline is needed."
    with pytest.raises(ZeroDivisionError):
        attempt(fail(ZeroDivisionError("bug")), sqlite_store, said.append)  # not the store's: still a bug, still loud
