"""Store failures said once: SQLite's result codes and PostgreSQL's SQLSTATEs become the StoreError kinds, each with its exit code."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import DataError, OperationalError

from newsdesk.core.errors import StoreBusy, StoreDamaged, StoreError, StoreFull, StoreReadOnly, StoreTooNew, StoreUnreachable
from newsdesk.core.store import failures


def _raised(statement: str, connection: sqlite3.Connection) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        connection.execute(statement)
    return caught.value


def test_sqlite_busy_and_read_only_are_told_apart_by_their_codes(tmp_path: Path):
    path = tmp_path / "s.sqlite"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        with contextlib.closing(sqlite3.connect(path, timeout=0)) as other:
            busy = _raised("INSERT INTO t VALUES (1)", other)
        holder.execute("ROLLBACK")
    with contextlib.closing(sqlite3.connect(path)) as reader:
        reader.execute("PRAGMA query_only = ON")
        read_only = _raised("INSERT INTO t VALUES (1)", reader)
    assert failures.kind_of(OperationalError("INSERT", {}, busy)) is StoreBusy
    assert failures.kind_of(OperationalError("INSERT", {}, read_only)) is StoreReadOnly


def test_a_damaged_sqlite_file_is_damaged(tmp_path: Path):
    path = tmp_path / "s.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        connection.commit()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of the table overwritten
    path.write_bytes(bytes(data))
    with contextlib.closing(sqlite3.connect(path)) as connection:
        damaged = _raised("SELECT count(*), max(x) FROM t", connection)
    assert failures.kind_of(damaged) is StoreDamaged


class _PostgresError(Exception):
    def __init__(self, sqlstate: str | None, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("sqlstate", "kind"), [
    ("55P03", StoreBusy), ("40P01", StoreBusy), ("25006", StoreReadOnly), ("53100", StoreFull), ("XX001", StoreDamaged),
    ("08006", StoreUnreachable), ("28P01", StoreUnreachable), ("3D000", StoreUnreachable), ("22003", StoreError),
])
def test_postgresql_states_name_the_kind(sqlstate, kind):
    assert failures.kind_of(OperationalError("SELECT", {}, _PostgresError(sqlstate, "x"))) is kind


def test_without_a_code_the_words_decide_and_the_sentence_keeps_the_driver_line():
    driver = _PostgresError(None, 'connection to server at "db" failed: Connection refused\nIs it running?')
    refused = OperationalError("SELECT", {}, driver)
    translated = failures.translate(refused, "postgresql://newsdesk@db/newsdesk")
    assert isinstance(translated, StoreUnreachable) and translated.exit_code == 9
    assert translated.message.startswith("Cannot reach the store postgresql://newsdesk@db/newsdesk (connection to server")
    assert "\n" not in translated.message and translated.__cause__ is refused


def test_an_operating_system_error_is_read_by_its_errno():
    assert failures.kind_of(OSError(errno.ENOSPC, "No space left on device")) is StoreFull
    assert failures.kind_of(OSError(errno.EROFS, "Read-only file system")) is StoreReadOnly


def test_a_value_the_engine_refuses_is_a_plain_store_error_with_exit_two():
    out_of_range = DataError("SELECT", {}, _PostgresError("22003", 'value "99999999999" is out of range for type integer'))
    translated = failures.translate(out_of_range, "postgresql://db/newsdesk")
    assert type(translated) is StoreError and translated.exit_code == 2


def test_refine_gives_a_wrapped_failure_its_kind_and_keeps_the_message():
    cause = OperationalError("SELECT", {}, Exception("database is locked"))
    wrapped = StoreError("The store stopped answering at b.md (database is locked).")
    wrapped.__cause__ = cause
    refined = failures.refine(wrapped)
    assert isinstance(refined, StoreBusy) and refined.message == wrapped.message and refined.exit_code == 5
    assert failures.refine(StoreTooNew("newer")).exit_code == 10
