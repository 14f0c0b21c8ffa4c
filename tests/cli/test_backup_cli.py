"""`newsdesk db backup PATH` from a separate process: each refusal is one sentence and exit 2, the target untouched.

The store stays open in this process (with pages in its -wal) while the
command-line process runs, as when the window is open during a backup.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from store_files import fingerprint, staging_left, table_rows


def newsdesk(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdesk", *argv], check=False, capture_output=True, text=True, timeout=120)


@pytest.fixture
def live(sqlite_store):
    from actors import get_actor

    from newsdesk.core.services.stories import StoryService

    StoryService(sqlite_store, get_actor(sqlite_store, "editor")).create("Harbour plan", body="Monday.", sections=["World"])
    assert Path(f"{sqlite_store.path}-wal").exists()
    return sqlite_store


def null_device(tmp_path: Path) -> Path:
    """A device node like /dev/null, made where a regression can only replace our own copy of it."""
    if os.geteuid() != 0:
        return Path("/dev/null")  # not replaceable without root, so safe to aim at
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


@pytest.mark.parametrize("kind", ["store", "wal", "device", "fifo", "folder", "link-to-store"])
def test_backup_refusals_are_one_sentence_with_exit_2(live, tmp_path: Path, kind: str) -> None:
    store_file = live.path
    if kind == "store":
        target, words = store_file, "the store itself"
    elif kind == "wal":
        target, words = Path(f"{store_file}-wal"), "the store's write-ahead log"
    elif kind == "device":
        target, words = null_device(tmp_path), "is a device, not a file"
    elif kind == "fifo":
        target, words = tmp_path / "pipe", "is a named pipe, not a file"
        os.mkfifo(target)
    elif kind == "folder":
        target, words = tmp_path / "backups", "is a folder, not a file"
        target.mkdir()
        (target / "kept.txt").write_text("kept")
    else:
        target, words = tmp_path / "latest.sqlite", f"links to {store_file.resolve()}, which is the store itself"
        target.symlink_to(store_file)
    read = kind not in ("store", "wal")
    before = fingerprint(target, read=read)
    rows = table_rows(store_file)

    result = newsdesk("--database", str(store_file), "db", "backup", str(target))

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    line = result.stderr
    assert line.startswith("newsdesk: ") and line.endswith(".\n") and line.count("\n") == 1, line
    assert words in line and "Traceback" not in line
    assert fingerprint(target, read=read) == before
    assert staging_left(target.parent) == [] and staging_left(store_file.parent) == []
    assert table_rows(store_file) == rows


def test_good_backup_opens_as_a_store_in_another_process(live, tmp_path: Path) -> None:
    target = tmp_path / "backups" / "newsdesk-copy.sqlite"
    result = newsdesk("--database", str(live.path), "db", "backup", str(target), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"path": str(target.resolve())}
    assert table_rows(target) == table_rows(live.path)
    listed = newsdesk("--database", str(target), "stories", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "Harbour plan" in {story["headline"] for story in json.loads(listed.stdout)}
    checked = newsdesk("--database", str(target), "db", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert staging_left(target.parent) == []


@pytest.mark.postgres
def test_postgresql_backup_is_refused_and_names_pg_dump(home, postgres_databases, tmp_path: Path) -> None:
    url = postgres_databases.fresh()
    try:
        target = tmp_path / "copy.sqlite"
        result = newsdesk("--database", url, "db", "backup", str(target))
        assert result.returncode == 2
        assert result.stderr == "newsdesk: Backups from here are for SQLite stores; back up a PostgreSQL store with pg_dump.\n"
        assert not target.exists()
    finally:
        postgres_databases.drop(url)
