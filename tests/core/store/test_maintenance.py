"""`backup_store`: a consistent copy that lands only on a new name or a regular file, never on the live store.

Each refusal is a StoreError (exit 2 at the command line) raised before
anything is written: the target keeps its type, inode and content, and no
staging folder is left beside it.
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

from newsdesk.core.errors import StoreError
from newsdesk.core.store.maintenance import backup_store


@pytest.fixture
def live(sqlite_store, service_on_sqlite):
    """The store open and written to, so its -wal holds pages a wrong rename would lose."""
    service_on_sqlite.create("Harbour plan", body="The council meets on Monday.", sections=["World"])
    assert Path(f"{sqlite_store.path}-wal").exists()
    return sqlite_store


@pytest.fixture
def service_on_sqlite(sqlite_store):
    from actors import get_actor

    from newsdesk.core.services.stories import StoryService

    return StoryService(sqlite_store, get_actor(sqlite_store, "editor"))


def refuse(store, target: Path, words: str, *, read: bool = True) -> None:
    before = fingerprint(target, read=read)
    with pytest.raises(StoreError) as raised:
        backup_store(store, target)
    message = str(raised.value)
    assert words in message and message.endswith(".") and "\n" not in message
    assert fingerprint(target, read=read) == before
    assert staging_left(target.parent) == [] and staging_left(store.path.parent) == []


def test_refuses_the_store_file_and_its_companions(live) -> None:
    path = live.path
    rows = table_rows(path)
    refuse(live, path, "the store itself", read=False)
    refuse(live, Path(f"{path}-wal"), "write-ahead log", read=False)
    refuse(live, Path(f"{path}-shm"), "shared-memory index", read=False)
    with pytest.raises(StoreError, match="rollback journal"):
        backup_store(live, Path(f"{path}-journal"))
    assert not Path(f"{path}-journal").exists()
    assert table_rows(path) == rows


def test_refuses_the_store_by_another_name(live, tmp_path: Path) -> None:
    hard_link = tmp_path / "same-inode.sqlite"
    os.link(live.path, hard_link)
    refuse(live, hard_link, "the store itself", read=False)
    wal_link = tmp_path / "wal-link"
    wal_link.symlink_to(f"{live.path}-wal")
    refuse(live, wal_link, "links to")
    refuse(live, Path(f"{live.path.parent}/../{live.path.parent.name}/{live.path.name}"), "the store itself", read=False)


def test_refuses_folders_pipes_sockets_and_links_to_them(live, tmp_path: Path) -> None:
    import socket

    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept")
    refuse(live, folder, "a folder")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    refuse(live, pipe, "a named pipe")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(tmp_path / "sock"))
        refuse(live, tmp_path / "sock", "a socket")
    link = tmp_path / "to-pipe"
    link.symlink_to(pipe)
    refuse(live, link, "links to")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_refuses_dev_null_without_writing(live, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guarded so that a regression can never replace the machine's /dev/null (the suite may run as root)."""
    real_replace = os.replace

    def guarded(source, destination, *args, **kwargs):
        assert os.path.realpath(destination) != "/dev/null", "backup_store tried to replace /dev/null"
        return real_replace(source, destination, *args, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)
    with pytest.raises(StoreError, match="a device"):
        backup_store(live, Path("/dev/null"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert staging_left(Path("/dev")) == []


def test_backup_holds_every_row_and_opens_in_another_process(live, service_on_sqlite, tmp_path: Path) -> None:
    service_on_sqlite.create("Late copy", body="Written just before the backup.", sections=["Business"])
    target = tmp_path / "out" / "copy.sqlite"
    assert backup_store(live, target) == target.resolve()
    assert stat.S_ISREG(os.lstat(target).st_mode)
    assert staging_left(target.parent) == []
    assert table_rows(target) == table_rows(live.path)
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", str(target), "stories", "--json"],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    headlines = {story["headline"] for story in json.loads(result.stdout)}
    assert {"Harbour plan", "Late copy"} <= headlines


def test_backup_replaces_a_regular_file_and_writes_through_a_link_to_one(live, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    old.write_bytes(b"yesterday's copy")
    old.chmod(0o640)
    link = tmp_path / "latest.sqlite"
    link.symlink_to(old)
    assert backup_store(live, link) == old.resolve()
    assert link.is_symlink() and os.readlink(link) == str(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert table_rows(old) == table_rows(live.path)
    assert staging_left(tmp_path) == []


@pytest.mark.postgres
def test_postgresql_store_is_sent_to_pg_dump(home, postgres_databases, tmp_path: Path) -> None:
    """Honest about PostgreSQL: nothing is written; the message names the tool that backs it up."""
    from newsdesk.core.store.opening import open_store

    url = postgres_databases.fresh()
    store = open_store(url)
    try:
        target = tmp_path / "copy.sqlite"
        with pytest.raises(StoreError, match="pg_dump"):
            backup_store(store, target)
        assert not target.exists() and staging_left(tmp_path) == []
    finally:
        store.close()
        postgres_databases.drop(url)
