"""Moving a whole store to another: `newsdesk db copy FROM TO`, SQLite to PostgreSQL and back.

A personal store grows into a shared one (and a shared one is taken home), so
the copy carries every table of `SQLModel.metadata` generically, parents before
children, ids as they are: a table added later is carried without a change
here. What it promises:

- Nothing is written into a store that holds anything. A store with no schema
  is migrated first, and a freshly migrated one counts as empty; the target is
  never seeded (the copy brings its own users, sections and settings).
- The source is read in one snapshot and never changed; a value the other
  engine would refuse (a NUL from an old SQLite store, text longer than its
  column) stops the copy before anything is written, named by table, row and
  column (`limits.TextLimit.portable_problem`).
- The target is written in one transaction, holding its write lock from the
  emptiness check to the commit; PostgreSQL's id sequences are moved past the
  copied ids and its planner's statistics taken. SQLite's full-text index
  (`story_fts`, migration 0002) is filled by its insert triggers and checked
  against the stories afterwards; PostgreSQL's search document is a generated
  column (migration 0007) and follows by itself.
- Afterwards every table is read back from the target on a new connection and
  compared with what was read from the source: row counts and a SHA-256 over
  every row's values.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Table, func, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlmodel import SQLModel

from newsdesk import config
from newsdesk.core.errors import StoreError, StoreTooNew
from newsdesk.core.rules import limits
from newsdesk.core.store import models
from newsdesk.core.store.db import Store
from newsdesk.core.store.engines import make_engine
from newsdesk.core.store.schema import migrate, read_schema_state

log = logging.getLogger(__name__)

BATCH = 500
REFUSALS_SHOWN = 5
SQLITE_FTS_CHECK = "INSERT INTO story_fts(story_fts, rank) VALUES ('integrity-check', 1)"
"""Checks the external-content index of `search.SQLITE_FTS_V1` against the story table itself (rank 1)."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class CopyReport:
    """What was copied, table by table, with the figures both sides agreed on."""

    source: str
    target: str
    tables: tuple[TableCheck, ...]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def summary(self) -> str:
        return (f"Copied {self.rows:,} rows in {len(self.tables)} tables from {self.source} to {self.target}. "
                "Checked every row: each table has the same rows with the same contents on both sides.")

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source, "to": self.target, "rows": self.rows, "verified": True,
            "tables": [{"table": t.table, "rows": t.rows, "sha256": t.sha256} for t in self.tables],
        }


def copy_store(from_url: str, to_url: str) -> CopyReport:
    """Copy the store at `from_url` into the empty store at `to_url` and check every row; raise StoreError if it cannot."""
    source_url, target_url = config.database_url(from_url), config.database_url(to_url)
    if _same_store(source_url, target_url):
        raise StoreError("The source and the target are the same store; give the copy another place to go.")
    source = _open_source(source_url)
    try:
        with _snapshot(source.engine) as reading:
            _refuse_unportable(reading, source.url)
            target = _open_target(target_url)
            try:
                read = _write(reading, target)
                written = _read_back(target)
            finally:
                target.close()
    finally:
        source.close()
    _compare(read, written, target.url)
    log.info("Copied %s to %s: %d rows", source.url, target.url, sum(check.rows for check in written))
    return CopyReport(source.url, target.url, tuple(written))


def tables() -> list[Table]:
    """Every table of the store, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def _same_store(first: str, second: str) -> bool:
    one, other = make_url(first), make_url(second)
    if one.get_backend_name() == other.get_backend_name() == "sqlite" and one.database and other.database:
        return Path(one.database).expanduser().resolve() == Path(other.database).expanduser().resolve()
    return one.set(drivername=one.get_backend_name()) == other.set(drivername=other.get_backend_name())


def _open_source(url: str) -> Store:
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and (
        not parsed.database or parsed.database == ":memory:" or not Path(parsed.database).expanduser().is_file()
    ):
        raise StoreError(f"There is no store at {shown} to copy from.")
    engine = make_engine(url)
    try:
        state = read_schema_state(engine)
        if state.current is None:
            raise StoreError(f"{shown} is empty: there is nothing to copy.")
        if state.current not in state.known:
            raise StoreTooNew(f"{shown} was written by a newer Newsdesk (schema {state.current}); copy it with that version.")
        if not state.is_current:
            raise StoreError(f"{shown} is at schema {state.current}, behind this version's {state.head}; "
                             f"bring it up to date first with `newsdesk --database {shown} db upgrade`.")
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def _open_target(url: str) -> Store:
    """The target with this version's schema (migrated if it had none); refused if it holds any row."""
    engine = make_engine(url)
    store = Store(engine)
    try:
        state = read_schema_state(engine)
        if state.current is not None and state.current not in state.known:
            raise StoreTooNew(f"{store.url} was written by a newer Newsdesk (schema {state.current}); nothing was copied.")
        if state.current is not None:
            with engine.connect() as connection:
                _refuse_rows(connection, store.url, present=set(inspect(connection).get_table_names()))
        if not state.is_current:
            migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return store


def _refuse_rows(connection: Connection, where: str, present: set[str] | None = None) -> None:
    for table in tables():
        if present is not None and table.name not in present:
            continue
        if connection.execute(select(1).select_from(table).limit(1)).first() is not None:
            raise StoreError(f"{where} is not empty (its {table.name} table has rows); a store is copied only into an empty one, "
                             "so nothing was written. Give a new file or an empty database.")


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction over the source, so both passes see the same store while others keep writing to it."""
    with engine.connect() as opened:
        if engine.dialect.name == "sqlite":
            # pysqlite begins a transaction only before a write; a read snapshot has to be asked for.
            opened.exec_driver_sql("BEGIN")
            connection = opened
        else:
            connection = opened.execution_options(isolation_level="REPEATABLE READ")
        try:
            yield connection
        finally:
            connection.rollback()


def _refuse_unportable(connection: Connection, where: str) -> None:
    """Read every text of the source once and refuse, before any write, what either engine would not keep."""
    found: list[str] = []
    count = 0
    for table in tables():
        columns = [(column, limits.for_column(table.name, column.name)) for column in models.text_columns(table)]
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        statement = select(*keys, *(column for column, _ in columns))
        for row in connection.execution_options(yield_per=BATCH).execute(statement):
            for (column, rule), value in zip(columns, row[len(keys):], strict=True):
                problem = rule.portable_problem(value) if isinstance(value, str) else None
                if problem:
                    count += 1
                    if len(found) < REFUSALS_SHOWN:
                        found.append(f"{_row_name(table, row[:len(keys)])}, column {column.name}: {problem}")
    if found:
        more = f" (and {count - len(found)} more)" if count > len(found) else ""
        raise StoreError(f"Nothing was copied: {count} value{'s' if count != 1 else ''} in {where} would be refused by the other engine"
                         f"{more}. " + " ".join(found) + " Correct them in the source, then copy again.")


def _write(reading: Connection, target: Store) -> list[TableCheck]:
    """Copy every row in one transaction on the target; the source's figures, taken from the rows as they were sent."""
    checks: list[TableCheck] = []
    try:
        with target.engine.connect() as writing:
            _lock(writing, target)
            _refuse_rows(writing, target.url)
            for table in tables():
                digest = _Digest(table)
                pending: list[dict[str, Any]] = []
                for row in _rows(reading, table):
                    digest.add(row)
                    pending.append(row._asdict())
                    if len(pending) >= BATCH and not _self_referencing(table):
                        writing.execute(table.insert(), pending)
                        pending = []
                if pending:
                    writing.execute(table.insert(), _parents_first(table, pending))
                checks.append(digest.check())
            if target.dialect == "postgresql":
                _move_sequences(writing)
                _analyze(writing)
            writing.commit()
    except DatabaseError as error:
        raise StoreError(f"The copy into {target.url} failed and was rolled back, nothing was written: {_reason(error)}.") from error
    return checks


def _lock(connection: Connection, target: Store) -> None:
    """Hold the target's write lock from the emptiness check to the commit, so nobody seeds it meanwhile."""
    if target.is_sqlite:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif target.dialect == "postgresql":
        names = ", ".join(connection.dialect.identifier_preparer.format_table(table) for table in tables())
        connection.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _rows(connection: Connection, table: Table) -> Iterator[Any]:
    """The table's rows in primary-key order, the same on every engine (text keys are sorted here, not by a collation)."""
    keys = list(table.primary_key.columns)
    statement = select(*table.columns)
    if all(isinstance(key.type, Integer) for key in keys):
        yield from connection.execution_options(yield_per=BATCH).execute(statement.order_by(*keys))
        return
    rows = connection.execute(statement).all()
    yield from sorted(rows, key=lambda row: tuple(getattr(row, key.name) for key in keys))


def _self_referencing(table: Table) -> bool:
    return any(key.column.table is table for key in table.foreign_keys)


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that points at itself (sections nest), each after the row it points at."""
    links = [(key.parent.key, key.column.key) for key in table.foreign_keys if key.column.table is table]
    if not links:
        return rows
    placed: set[tuple[str, Any]] = set()
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        ready: list[dict[str, Any]] = []
        blocked: list[dict[str, Any]] = []
        for row in waiting:
            parents_in = all(row[child] is None or (parent, row[child]) in placed for child, parent in links)
            (ready if parents_in else blocked).append(row)
        if not ready:
            raise StoreError(f"The {table.name} table points at rows that are not there; run `newsdesk db check` on the source.")
        for row in ready:
            placed.update((parent, row[parent]) for _, parent in links)
        ordered += ready
        waiting = blocked
    return ordered


def _analyze(connection: Connection) -> None:
    """The planner's figures for the copied rows, at once rather than at autovacuum's next turn: without them it guesses
    how common a searched word is and, for a word in a few dozen stories, walked every draft (0.3 to 0.6 s instead of 5 ms)."""
    names = ", ".join(connection.dialect.identifier_preparer.format_table(table) for table in tables())
    connection.exec_driver_sql(f"ANALYZE {names}")


def _move_sequences(connection: Connection) -> None:
    """After explicit ids, PostgreSQL's next id must come after the highest one copied."""
    preparer = connection.dialect.identifier_preparer
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        key = keys[0]
        connection.execute(
            select(func.setval(func.pg_get_serial_sequence(preparer.format_table(table), key.name),
                               func.coalesce(func.max(key), 1), func.max(key).isnot(None)))
            .select_from(table)
            .where(func.pg_get_serial_sequence(preparer.format_table(table), key.name).isnot(None))
        )


def _read_back(target: Store) -> list[TableCheck]:
    """The target's figures, read on a new connection after the commit, as another process would see them."""
    checks: list[TableCheck] = []
    with target.engine.connect() as connection:
        for table in tables():
            digest = _Digest(table)
            for row in _rows(connection, table):
                digest.add(row)
            checks.append(digest.check())
        if target.is_sqlite:
            try:
                connection.exec_driver_sql(SQLITE_FTS_CHECK)
            except DatabaseError as error:
                raise StoreError(f"The copy's full-text index does not match its stories ({_reason(error)}); "
                                 f"the rows are in {target.url}, but run `newsdesk db check` on it.") from error
            finally:
                connection.rollback()
    return checks


def _compare(read: Sequence[TableCheck], written: Sequence[TableCheck], where: str) -> None:
    for source, target in zip(read, written, strict=True):
        if source.rows != target.rows:
            raise StoreError(
                f"The copy in {where} does not match: {source.table} has {target.rows:,} rows there and {source.rows:,} in the source."
            )
        if source.sha256 != target.sha256:
            raise StoreError(f"The copy in {where} does not match: the {source.table} table's rows differ from the source's.")


class _Digest:
    """A table's row count and SHA-256 over its rows' values in a form both engines give alike."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows = 0
        self.hash = hashlib.sha256(json.dumps([column.name for column in table.columns]).encode())

    def add(self, row: Iterable[Any]) -> None:
        self.rows += 1
        line = json.dumps([_plain(value) for value in row], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.hash.update(line.encode("utf-8", "surrogatepass") + b"\n")

    def check(self) -> TableCheck:
        return TableCheck(self.table.name, self.rows, self.hash.hexdigest())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()  # an image's bytes, compared by their hash
    return value


def _row_name(table: Table, key: Sequence[Any]) -> str:
    names = [column.name for column in table.primary_key.columns]
    if names == ["id"]:
        return f"{table.name} row {key[0]}"
    return f"{table.name} row " + ", ".join(f"{name} {value!r}" for name, value in zip(names, key, strict=True))


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    return str(original or error).strip().splitlines()[0]

