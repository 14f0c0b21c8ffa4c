"""The status bar's save state follows what really happened: opened, saving, saved (and when), not saved (and why)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store_faults import held_exclusively

from newsdesk.ui.editor.save_state import clock


def stored_body(home: Path, url: str, story_id: int) -> str:
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, "story", "show", str(story_id), "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["body"]


def type_at_end(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def test_the_save_state_follows_real_saves(short_busy_wait, window, service, store, store_url, home, qtbot):
    label = window.save_label
    story = service.create("Harbour strike", body="Start.")
    window.open_story(story.id)
    assert label.text() == f"Unchanged since {clock(story.updated_at)}", "opening saves nothing, so it does not say Saved"

    type_at_end(qtbot, window, " More.")
    assert label.text() == "Saving…"
    window.session.set_autosave_interval(50)
    with qtbot.waitSignal(window.session.story_saved, timeout=5000):
        pass
    saved = window.session.record
    assert label.text() == f"Saved {saved.updated_at.astimezone():%H:%M}"
    assert stored_body(home, store_url, story.id) == "Start. More."

    window.session.set_autosave_interval(60_000)
    with held_exclusively(store):
        type_at_end(qtbot, window, " Held.")
        assert not window.session.save_now()
        assert label.text().startswith("Not saved: ") and "busy" in label.text()
        assert "Your text is kept" in label.toolTip()
        type_at_end(qtbot, window, " Still.")
        assert label.text().startswith("Not saved: "), "a refusal stays until a save succeeds"
        assert stored_body(home, store_url, story.id) == "Start. More."
    assert window.session.save_now()
    assert label.text() == f"Saved {window.session.record.updated_at.astimezone():%H:%M}"
    assert stored_body(home, store_url, story.id) == "Start. More. Held. Still."

    service.update(story.id, {"body": "Their text."}, expected_version=window.session.version)
    type_at_end(qtbot, window, " Mine.")
    window.session.save_now()
    assert label.text() == "Not saved: changed elsewhere"
    window.conflict_bar.reload_button.click()
    assert label.text().startswith("Unchanged since ")


def test_clock_names_the_day_when_it_is_not_today():
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC).astimezone()
    assert clock(now - timedelta(minutes=5), now) == f"{(now - timedelta(minutes=5)):%H:%M}"
    earlier = now - timedelta(days=1)
    assert clock(earlier, now) == f"Nov. {earlier.day}, {earlier:%H:%M}"
