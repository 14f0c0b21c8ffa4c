"""The store failing under an open story: the window says so in the status bar, keeps the text, and saves it once the store is back.

The same translation as the command line's (`newsdesk.core.store.failures`):
a store held by another program is "busy", one that may not be written
"read-only"; never a traceback (pytest-qt fails a test on any exception
raised in a slot).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from store_faults import held_exclusively

from newsdesk.ui.window.main_window import MainWindow


def type_at_end(qtbot, window: MainWindow, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)


def seen_by_another_process(home: Path, url: str, story_id: int) -> str:
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, "story", "show", str(story_id), "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)["body"]


def test_a_busy_store_is_said_in_the_status_bar_and_the_text_is_kept(short_busy_wait, window, service, store, store_url, home, qtbot):
    story = service.create("Harbour strike", body="Start.")
    window.open_story(story.id)
    with held_exclusively(store):
        type_at_end(qtbot, window, " More.")
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        message = window.statusBar().currentMessage()
        assert "is busy: another program is holding it" in message and "Your text is kept" in message
        assert window.session.is_dirty and window.editor.toPlainText().endswith("Start. More.")
        assert seen_by_another_process(home, store_url, story.id) == "Start."
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.session.is_dirty
    assert seen_by_another_process(home, store_url, story.id) == "Start. More."


def test_a_store_made_read_only_under_an_open_story_is_said_and_the_text_kept(window, service, store, store_url, home, qtbot):
    """The store's file turns read-only while the story is open (SQLite then refuses the write: SQLITE_READONLY)."""
    story = service.create("Tide tables", body="Low at noon.")
    window.open_story(story.id)
    with store.read_only.on():
        type_at_end(qtbot, window, " High at six.")
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        message = window.statusBar().currentMessage()
        assert "is read-only" in message and "Your text is kept" in message, message
        assert window.session.is_dirty and window.editor.toPlainText().endswith("High at six.")
    assert seen_by_another_process(home, store_url, story.id) == "Low at noon."
