"""What a test sees of a store's files from outside: a target's fingerprint, leftover staging, every row.

Shared by the backup tests of the store (`tests/core/store/test_maintenance.py`) and
of the command line (`tests/cli/test_backup_cli.py`); importable as `store_files`
(pyproject's pytest `pythonpath`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path


def fingerprint(path: Path, *, read: bool = True) -> tuple[object, ...]:
    """What must not change about a refused target: its kind, identity and (`read`) content.

    Never `read` one of the live store's files: closing any descriptor on them drops
    this process's SQLite locks, and SQLite alone may change their content anyway.
    """
    found = os.lstat(path)
    if not read:
        return stat.S_IFMT(found.st_mode), found.st_ino
    content: object = None
    if stat.S_ISREG(found.st_mode):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    elif stat.S_ISDIR(found.st_mode):
        content = sorted(os.listdir(path))
    elif stat.S_ISLNK(found.st_mode):
        content = os.readlink(path)
    return stat.S_IFMT(found.st_mode), found.st_ino, found.st_size, content


def staging_left(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(".partial")]


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'story_fts_%'")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}
