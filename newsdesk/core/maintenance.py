"""Keeping a store healthy: integrity checks and consistent backups while the app runs."""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from newsdesk import config
from newsdesk.core.db import Store, make_engine, read_schema_state
from newsdesk.core.errors import StoreError

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    url: str
    schema: str | None
    head: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.ok:
            return f"The store {self.url} is sound (schema {self.schema})."
        return f"The store {self.url} has problems:\n" + "\n".join(f"  - {problem}" for problem in self.problems)

    def to_json(self) -> dict[str, object]:
        return {"url": self.url, "schema": self.schema, "head": self.head, "ok": self.ok, "problems": self.problems}


def check_store(url: str | None) -> CheckReport:
    """Integrity and migration state, read without changing anything (no upgrade, no seeding)."""
    engine = make_engine(config.database_url(url))
    try:
        state = read_schema_state(engine)
        report = CheckReport(engine.url.render_as_string(hide_password=True), state.current, state.head)
        if state.current is None:
            report.problems.append("The store is empty: it has never been opened by Newsdesk.")
        elif state.current not in state.known:
            report.problems.append(f"Schema {state.current} comes from a newer Newsdesk (this one knows up to {state.head}).")
        elif not state.is_current:
            report.problems.append(f"Schema {state.current} is behind {state.head}: run `newsdesk db upgrade`.")
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                for (line,) in connection.execute(text("PRAGMA integrity_check")):
                    if line != "ok":
                        report.problems.append(f"Integrity: {line}")
                for row in connection.execute(text("PRAGMA foreign_key_check")):
                    report.problems.append(f"Foreign key: table {row[0]} row {row[1]} points at a missing {row[2]}")
                if state.current and state.current >= "0002" and state.current in state.known:
                    try:
                        connection.execute(text("INSERT INTO story_fts(story_fts) VALUES ('integrity-check')"))
                    except DatabaseError as error:
                        report.problems.append(f"Full-text index: {error}")
                    connection.rollback()
        return report
    finally:
        engine.dispose()


def backup_store(store: Store, target: Path) -> Path:
    """A consistent copy through SQLite's online backup, written beside `target` then renamed into place."""
    source = store.path
    if source is None:
        raise StoreError("Backups from here are for SQLite stores; back up a PostgreSQL store with pg_dump.")
    target = target.expanduser().resolve()
    if target == source.resolve():
        raise StoreError("The backup cannot overwrite the store itself; choose another file.")
    temporary = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        with closing(sqlite3.connect(source, timeout=10)) as live, closing(sqlite3.connect(temporary)) as copy:
            live.backup(copy, pages=1024)
        with temporary.open("rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        temporary.unlink(missing_ok=True)
        raise StoreError(f"Cannot write the backup to {target}: {getattr(error, 'strerror', None) or error}.") from error
    log.info("Backed up %s to %s", source, target)
    return target
