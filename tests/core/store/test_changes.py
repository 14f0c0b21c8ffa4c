"""The change signal: a write by another process reaches a watcher as the story's id, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys

import pytest
from sqlalchemy import text

from newsdesk.core.store.changes import ChangeWatcher

WAIT_SECONDS = 5
PASSWORD = "changes-secret-1"


@pytest.fixture(autouse=True)
def signed_in(store, monkeypatch):
    """On PostgreSQL (a shared store) the command line's `editor` needs a password."""
    from newsdesk.core.services.users import set_first_password

    if store.dialect == "postgresql":
        set_first_password(store, "editor", PASSWORD)
        monkeypatch.setenv("NEWSDESK_PASSWORD", PASSWORD)


def child(store, *argv: str) -> str:
    """The command line as a separate process on the same store; its stdout."""
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", database, "--user", "editor", *argv],
                            check=False, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def next_change(heard: queue.Queue, wanted: int) -> frozenset[int] | None:
    """Wait for the batch that names `wanted` (a batch for another story may come first)."""
    while True:
        ids = heard.get(timeout=WAIT_SECONDS)
        if ids is None or wanted in ids:
            return ids


def test_another_process_creating_saving_and_deleting_a_story_is_heard(demo_store, store, service):
    """The command line seeds a store without the demo story on first use; `demo_store` has it, so only the child's story changes."""
    heard: queue.Queue = queue.Queue()
    watcher = ChangeWatcher(store, heard.put, poll_seconds=0.05).start(wait=WAIT_SECONDS)
    try:
        created = json.loads(child(store, "story", "new", "--headline", "From the command line", "--json"))["id"]
        assert next_change(heard, created) == {created}
        child(store, "story", "set", str(created), "headline=Changed elsewhere")
        assert next_change(heard, created) == {created}
        child(store, "story", "delete", str(created))
        assert next_change(heard, created) == {created}
    finally:
        watcher.stop()
    assert not watcher.running


def test_a_lock_heartbeat_alone_is_not_a_change(store, service):
    """The heartbeat changes only `locked_at` every 30 s: it must not make every window fetch the row."""
    held = service.create("Held", body="x")
    other = service.create("Other", body="y")
    heard: queue.Queue = queue.Queue()
    watcher = ChangeWatcher(store, heard.put, poll_seconds=0.05).start(wait=WAIT_SECONDS)
    try:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE story SET locked_at = CURRENT_TIMESTAMP WHERE id = :id"), {"id": held.id})
        service.update(other.id, {"headline": "Saved after the heartbeat"}, expected_version=other.version)
        assert heard.get(timeout=WAIT_SECONDS) == {other.id}
    finally:
        watcher.stop()
