"""Keeping a store healthy: integrity checks and consistent backups while the app runs.

A backup is written only where a copy belongs: a new name or a regular file,
never one of the live store's files (which would corrupt it) nor a device, a
pipe or a folder (which `os.replace` would silently replace).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import text

from newsdesk import config
from newsdesk.core.errors import StoreDamaged, StoreError
from newsdesk.core.store import damage, failures
from newsdesk.core.store.db import Store
from newsdesk.core.store.engines import make_engine
from newsdesk.core.store.schema import read_schema_state

log = logging.getLogger(__name__)

FTS_CHECK = "INSERT INTO story_fts(story_fts, rank) VALUES ('integrity-check', 1)"
"""SQLite's check of the external-content index of `search.SQLITE_FTS_V1` against the story table itself (rank 1)."""


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
    """Integrity and migration state, read without changing anything (no upgrade, no seeding, no folder made).

    A SQLite store is opened read-only. Its full-text index is checked on a
    private copy (SQLite's check of an FTS5 index is an INSERT), so the check
    neither writes nor waits for a writer; a store that cannot be read at all
    (busy, unreadable, missing) is a StoreError of its kind, not a problem found.
    On either engine, rows Newsdesk could not have written (`damage.problems`) are problems, each with its mend.
    """
    engine = make_engine(config.database_url(url), read_only=True)
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
                    report.problems += _fulltext_problems(cast(sqlite3.Connection, connection.connection.driver_connection))
        if state.current is not None and state.current in state.known:
            with engine.connect() as connection:
                report.problems += damage.problems(connection)
        return report
    finally:
        engine.dispose()


def _fulltext_problems(live: sqlite3.Connection) -> list[str]:
    """The FTS5 index checked against the stories, on a copy in a private temporary file that SQLite deletes on close."""
    with closing(sqlite3.connect("")) as scratch:
        live.backup(scratch)
        try:
            scratch.execute(FTS_CHECK)
        except sqlite3.DatabaseError as error:
            if failures.kind_of(error) not in (StoreError, StoreDamaged):
                raise
            return [f"Full-text index: {error}"]
    return []


def backup_store(store: Store, target: Path) -> Path:
    """A consistent copy through SQLite's online backup, staged beside `target` then renamed into place.

    `target` must be a regular file or a new name (a link is followed to the file
    it names); one of the store's own files, a folder, a device, a named pipe or
    a socket is refused with StoreError before anything is written. The copy is
    taken in one step, so it is one snapshot even while others write (WAL lets
    them), and is fsynced before the rename. Returns the path written.
    """
    source = store.path
    if source is None:
        raise StoreError("Backups from here are for SQLite stores; back up a PostgreSQL store with pg_dump.")
    given = Path(target).expanduser().absolute()
    try:
        destination = Path(os.path.realpath(given))
        given.is_symlink()  # a name too long or a link loop shows here, as OSError
    except OSError as error:
        raise StoreError(f"Cannot write the backup to {str(given)[:200]}: {error.strerror or error}.") from error
    _refuse_unsafe_target(source, given, destination)
    folder = destination.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A private folder (mode 0700) for the copy, so nobody can plant a link where SQLite writes it.
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{destination.name}.", suffix=".partial"))
    except OSError as error:
        raise StoreError(f"Cannot write the backup to {given}: {error.strerror or error}.") from error
    staged = staging / destination.name
    try:
        live = store.engine.raw_connection()
        try:
            with closing(sqlite3.connect(staged)) as copy:
                cast(sqlite3.Connection, live.driver_connection).backup(copy)
        finally:
            live.close()
        if destination.exists():
            staged.chmod(stat.S_IMODE(destination.stat().st_mode))
        _fsync(staged, os.O_RDONLY)
        _refuse_unsafe_target(source, given, destination)  # again: it may have been swapped meanwhile
        os.replace(staged, destination)
        _fsync(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"Cannot write the backup to {given}: {getattr(error, 'strerror', None) or error}.") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("Backed up %s to %s", source, destination)
    return destination


_STORE_FILES = (
    ("", "the store itself"),
    ("-wal", "the store's write-ahead log"),
    ("-shm", "the store's shared-memory index"),
    ("-journal", "the store's rollback journal"),
)
_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_unsafe_target(source: Path, given: Path, destination: Path) -> None:
    """StoreError unless `destination` (`given` with its links resolved) is new or a regular file apart from the store."""
    subject = f"{given} links to {destination}, which is" if given.is_symlink() else f"{given} is"
    try:
        found = os.stat(destination)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise StoreError(f"Cannot write the backup to {given}: {error.strerror or error}.") from error
    store_file = Path(os.path.realpath(source))
    for suffix, what in _STORE_FILES:
        own = store_file.with_name(store_file.name + suffix)
        try:
            same = found is not None and own.exists() and os.path.samefile(own, destination)
        except OSError:
            same = False
        if destination == own or same:
            raise StoreError(f"{subject} {what}; a backup must go to another file.")
    if found is None:
        return
    for test, what in _NOT_FILES:
        if test(found.st_mode):
            hint = f" such as {given / 'newsdesk-backup.sqlite'}" if what == "a folder" else ""
            raise StoreError(f"{subject} {what}, not a file; name a new or regular file for the backup{hint}.")
    if not stat.S_ISREG(found.st_mode):
        raise StoreError(f"{subject} not a regular file; name a new or regular file for the backup.")


def _fsync(path: Path, flags: int) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
