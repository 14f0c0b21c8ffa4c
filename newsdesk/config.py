"""Where Newsdesk keeps things, and which store it opens.

Paths come from appdirs so they follow each platform's conventions. Setting
`NEWSDESK_HOME` points everything (store, dictionaries, logs, settings) at one
folder: for portable use and for tests that must not touch the real profile.

The default store lives in a folder of its own (`data/store/`) that no file
dialog proposes, because on Linux and macOS any other code of ours that opens
and closes one of its files drops SQLite's locks for the whole process (see
`newsdesk.ui.common.file_dialogs`). A store left at the old place (`data/newsdesk.sqlite`)
is moved there the first time no process has it open; see `settle_default_store`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from newsdesk import APP_ID, ORGANISATION

HOME_ENV = "NEWSDESK_HOME"
DATABASE_ENV = "NEWSDESK_DATABASE_URL"
STORE_FILENAME = "newsdesk.sqlite"
STORE_FOLDER = "store"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paths:
    """The folders Newsdesk writes to; created on first use, not on import."""

    data: Path
    config: Path
    logs: Path

    @property
    def store_folder(self) -> Path:
        """The default store's own folder: nothing else is kept in it."""
        return self.data / STORE_FOLDER

    @property
    def legacy_store(self) -> Path:
        """Where versions before 0.2 kept the default store, beside the dictionaries and caches."""
        return self.data / STORE_FILENAME

    @property
    def default_store(self) -> Path:
        """The default store's file: in its own folder, or at the old place while a store there is not moved yet."""
        settled = self.store_folder / STORE_FILENAME
        if not settled.exists() and self.legacy_store.is_file():
            return self.legacy_store
        return settled

    @property
    def personal_dictionary(self) -> Path:
        return self.data / "personal-dictionary.txt"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.ini"


def paths() -> Paths:
    """The folders for this user, or under `NEWSDESK_HOME` when it is set."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(data=root / "data", config=root / "config", logs=root / "logs")
    import appdirs

    return Paths(
        data=Path(appdirs.user_data_dir(APP_ID, ORGANISATION)),
        config=Path(appdirs.user_config_dir(APP_ID, ORGANISATION)),
        logs=Path(appdirs.user_log_dir(APP_ID, ORGANISATION)),
    )


def work_folder(name: str) -> Path:
    """A folder for what a person makes (`site`, `preview`): never inside the data folder, created here if need be.

    Under NEWSDESK_HOME it sits beside `data`; otherwise in `~/Newsdesk`, where
    people look for their files (the data folder is hidden on most systems).
    A folder that cannot be created is logged and returned all the same, so the
    export that writes into it reports the failure.
    """
    home = os.environ.get(HOME_ENV)
    root = Path(home).expanduser().resolve() if home else Path.home() / "Newsdesk"
    folder = root / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("Cannot create the folder %s: %s", folder, error.strerror or error)
    return folder


def database_url(explicit: str | None = None) -> str:
    """The store to open: `--database`, then `NEWSDESK_DATABASE_URL`, then the file in the data folder.

    A bare path is accepted for convenience and turned into a SQLite URL.
    """
    url = explicit or os.environ.get(DATABASE_ENV)
    if not url:
        return sqlite_url(settle_default_store())
    if "://" not in url:
        return sqlite_url(Path(url))
    return url


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite file at `path`; StoreError when the path cannot name a file (a link loop, a name too long, a NUL)."""
    try:
        return f"sqlite:///{path.expanduser().resolve()}"
    except (OSError, RuntimeError, ValueError) as error:
        from newsdesk.core.errors import StoreError

        reason = getattr(error, "strerror", None) or str(error).split(":")[0]
        shown = str(path) if len(str(path)) <= 200 else f"{str(path)[:200]}…"
        raise StoreError(f"Cannot use {shown!r} as the store's file ({reason}); give the path of a file or a database URL.") from None


def settle_default_store() -> Path:
    """The default store's file, after moving a store at the old place into its own folder if nobody has it open.

    The move is decided by SQLite itself, never by reading the files: a plain
    connection switches the old store out of WAL (SQLite allows that only when
    no other connection, in any process, has the store open, and it first
    copies the WAL into the file), then holds `BEGIN EXCLUSIVE` while the file
    is renamed, so no process can read or write it half-way. A process that
    opened the old path just before the rename is refused its first write by
    SQLite ("database moved") rather than writing beside the moved file. When
    the store is in use the move waits for a later start and the store is used
    where it is, and that is logged. Windows cannot rename an open file, so
    there the store stays at the old place (its locks are per handle, so the
    hazard that prompted the move does not arise there).
    """
    where = paths()
    settled = where.store_folder / STORE_FILENAME
    legacy = where.legacy_store
    if settled.exists() or not legacy.is_file():
        return settled
    if _move_store(legacy, settled):
        log.info("Moved the store %s into its own folder: %s", legacy, settled)
        return settled
    if settled.exists():
        return settled
    log.info("The store %s is open in another program; it stays there and moves to %s on a later start", legacy, settled)
    return legacy


def _move_store(legacy: Path, settled: Path) -> bool:
    """Rename `legacy` to `settled` if no other connection has it open; False (nothing changed) when one has."""
    uri = f"file:{quote(str(legacy.resolve()))}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
    except sqlite3.OperationalError:
        return False
    try:
        try:
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                return False
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            return False
        if settled.exists():
            return False
        try:
            settled.parent.mkdir(parents=True, exist_ok=True)
            os.rename(legacy, settled)
        except OSError as error:
            log.info("Could not move the store %s to %s: %s", legacy, settled, error.strerror or error)
            return False
        _sync_folder(settled.parent)
        _sync_folder(legacy.parent)
        return True
    finally:
        connection.close()


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
