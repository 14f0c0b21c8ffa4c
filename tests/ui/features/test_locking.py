"""The lock heartbeat's store calls run off the UI thread, and what they find is applied on it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from newsdesk.core.services import locks as core_locks
from newsdesk.ui.editor.story_session import StorySession
from newsdesk.ui.features.locking import LockKeeper


def test_the_heartbeat_refreshes_the_lock_on_a_worker_thread(qtbot, service, monkeypatch):
    session = StorySession(autosave_ms=60_000)
    session.set_service(service)
    keeper = LockKeeper(session, heartbeat_ms=60_000)
    keeper.follow()
    draft = service.create("Harbour", body="The harbour reopened.")
    with qtbot.waitSignal(keeper.lock_changed, timeout=5000):
        session.open(draft.id)
    threads: list[threading.Thread] = []
    refresh = core_locks.Locks.heartbeat

    def watched(self, story_id):
        threads.append(threading.current_thread())
        return refresh(self, story_id)

    monkeypatch.setattr(core_locks.Locks, "heartbeat", watched)
    with qtbot.waitSignal(keeper.lock_changed, timeout=10_000) as changed:
        keeper.heartbeat()
        assert keeper.beating
    assert threads and threads[0] is not threading.main_thread()
    assert changed.args[0].mine and keeper.held_story == draft.id
    shown = subprocess.run([sys.executable, "-m", "newsdesk", "--database", service.store.engine.url.render_as_string(hide_password=False),
                            "story", "show", str(draft.id), "--json"], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(shown.stdout)["lock"] is not None
    keeper.release()
