"""What the engines raise when the store itself fails, said once as a sentence of the StoreError family.

SQLite and PostgreSQL report the same few troubles in their own words: the
store is held by another program (busy), may not be written (read-only), has
no room (full), is not what Newsdesk wrote (damaged), or cannot be reached.
`translate` names which, by SQLite's result code or PostgreSQL's SQLSTATE
(the text only when neither is there), so each has its own exit code on the
command line and its own sentence in the window. The edges (the command
line's dispatch, the window's save) call it; services stay free of it.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from newsdesk.core.errors import (
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnreachable,
)

STORE_FAILURES: tuple[type[Exception], ...] = (SQLAlchemyError, sqlite3.Error)
"""What `translate` takes: anything SQLAlchemy or the sqlite3 module raises."""
STORE_PROBLEMS: tuple[type[Exception], ...] = (StoreError, *STORE_FAILURES)
"""A failure already said (StoreError) or one to translate: what an edge catches around a write."""

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE = {
    3: StoreReadOnly,  # SQLITE_PERM
    5: StoreBusy,  # SQLITE_BUSY
    6: StoreBusy,  # SQLITE_LOCKED
    8: StoreReadOnly,  # SQLITE_READONLY
    10: StoreUnreachable,  # SQLITE_IOERR
    11: StoreDamaged,  # SQLITE_CORRUPT
    13: StoreFull,  # SQLITE_FULL
    14: StoreUnreachable,  # SQLITE_CANTOPEN
    23: StoreReadOnly,  # SQLITE_AUTH
    26: StoreDamaged,  # SQLITE_NOTADB
}
# PostgreSQL's SQLSTATE, by whole code, then by class (the first two characters).
_POSTGRES = {
    "40P01": StoreBusy,  # deadlock_detected
    "55P03": StoreBusy,  # lock_not_available
    "57014": StoreBusy,  # query_canceled (a lock or statement timeout)
    "40001": StoreBusy,  # serialization_failure
    "25006": StoreReadOnly,  # read_only_sql_transaction
    "42501": StoreReadOnly,  # insufficient_privilege
    "53100": StoreFull,  # disk_full
    "XX001": StoreDamaged,  # data_corrupted
    "XX002": StoreDamaged,  # index_corrupted
    "57P01": StoreUnreachable,  # admin_shutdown
    "57P02": StoreUnreachable,  # crash_shutdown
    "57P03": StoreUnreachable,  # cannot_connect_now
    "3D000": StoreUnreachable,  # invalid_catalog_name: no such database
}
_POSTGRES_CLASSES = {"08": StoreUnreachable, "28": StoreUnreachable, "53": StoreFull, "58": StoreUnreachable}
_WORDS = (
    ("locked", StoreBusy), ("busy", StoreBusy), ("readonly", StoreReadOnly), ("read-only", StoreReadOnly),
    ("disk is full", StoreFull), ("disk full", StoreFull), ("malformed", StoreDamaged), ("not a database", StoreDamaged),
    ("unable to open", StoreUnreachable), ("could not connect", StoreUnreachable), ("connection", StoreUnreachable),
)
_ERRNO = {
    errno.EROFS: StoreReadOnly, errno.EACCES: StoreReadOnly, errno.EPERM: StoreReadOnly,
    errno.ENOSPC: StoreFull, errno.EDQUOT: StoreFull,
}

_SENTENCES: dict[type[StoreError], str] = {
    StoreBusy: "The store {where} is busy: another program is holding it ({reason}); nothing was changed. "
               "Try again when that program is done.",
    StoreReadOnly: "The store {where} is read-only ({reason}); nothing was changed. "
                   "Check that you may write the store's file, its folder and its disk.",
    StoreFull: "There is no room left for the store {where} ({reason}); nothing was changed. Free some space and try again.",
    StoreDamaged: "The store {where} is damaged ({reason}); nothing was changed. "
                  "Run `newsdesk db check` on it and restore a backup if it reports problems.",
    StoreUnreachable: "Cannot reach the store {where} ({reason}); nothing was changed. "
                      "Check its address, that the file or server is there, and the network.",
    StoreError: "The store {where} refused the request ({reason}); nothing was changed.",
}


def kind_of(error: BaseException) -> type[StoreError]:
    """Which StoreError `error` (from SQLAlchemy, sqlite3 or the operating system) is; StoreError when it is none of the kinds."""
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE:
        return _SQLITE[code & 0xFF]
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if isinstance(state, str) and state:
        return _POSTGRES.get(state) or _POSTGRES_CLASSES.get(state[:2], StoreError)
    if isinstance(original, OSError) and original.errno in _ERRNO:
        return _ERRNO[original.errno]
    if isinstance(error, (DisconnectionError, PoolTimeout)):
        return StoreUnreachable
    text = reason(error).lower()
    return next((kind for word, kind in _WORDS if word in text), StoreError)


def reason(error: BaseException) -> str:
    """The driver's own first line ("database is locked"), without SQLAlchemy's wrapping or its SQL."""
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    if isinstance(original, OSError) and original.strerror:
        return original.strerror
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def translate(error: BaseException, where: str) -> StoreError:
    """The StoreError to raise for `error`, a failure of the store at `where` (a URL with its password hidden)."""
    kind = kind_of(error)
    translated = kind(_SENTENCES[kind].format(where=where, reason=reason(error)))
    translated.__cause__ = error
    return translated


def refine(error: StoreError) -> StoreError:
    """A plain StoreError raised from an engine's failure, as its kind (same message), so it gets that kind's exit code."""
    cause = error.__cause__
    if type(error) is not StoreError or not isinstance(cause, STORE_FAILURES):
        return error
    kind = kind_of(cause)
    if kind is StoreError:
        return error
    refined = kind(error.message)
    refined.__cause__ = cause
    return refined
