"""Killed mid-sentence: the store still holds everything up to the last autosave.

The window runs in a child process (offscreen, its own NEWSDESK_HOME); the
child script below is test code, not a hook in the app: it builds the real
window through newsdesk.ui.shell.app, types into the editor with QTest in bursts with
pauses (so autosave fires, as it does for a reporter), and prints what it typed
and each body the store confirmed. The parent sends SIGKILL in the middle of a
burst, then reopens the store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from actors import get_actor

from newsdesk.core.services.firstrun import open_and_seed
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import os_username

CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from newsdesk.ui.shell import app as ui_app
from newsdesk.ui.window.main_window import MainWindow

application = ui_app.application()
window = MainWindow(ui_app.settings(), autosave_ms=150)
window.show()
ui_app.connect_store(window, None, None, sys.argv[1])
window.session.story_saved.connect(lambda record: print("saved", json.dumps(record.body), flush=True))
words = ("The council voted late on Tuesday to reopen the harbour after a week of strikes " * 40).split()
state = {"n": 0}

def type_next():
    n = state["n"]
    state["n"] += 1
    QTest.keyClicks(window.editor, words[n % len(words)] + " ")
    print("typed", json.dumps(window.editor.toPlainText()), flush=True)
    QTimer.singleShot(400 if n % 6 == 5 else 20, type_next)

window.editor.setFocus()
window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
QTimer.singleShot(50, type_next)
application.exec()
"""


def test_sigkill_mid_typing_loses_nothing_before_the_last_autosave(home: Path, tmp_path: Path):
    store = open_and_seed()
    story = StoryService(store, get_actor(store, "editor")).create("Harbour reopens", body="")
    store.close()
    script = tmp_path / "type_then_die.py"
    script.write_text(CHILD)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    child = subprocess.Popen(
        [sys.executable, str(script), str(story.id)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    saved: list[str] = []
    typed = ""
    deadline = time.monotonic() + 60
    try:
        assert child.stdout is not None
        for line in child.stdout:
            kind, _, payload = line.partition(" ")
            if kind == "saved":
                saved.append(json.loads(payload))
            elif kind == "typed":
                typed = json.loads(payload)
                if len(saved) >= 3 and len(typed) > len(saved[-1]):
                    child.send_signal(signal.SIGKILL)
                    break
            assert time.monotonic() < deadline, "the child never autosaved three times"
    finally:
        child.kill()
        child.wait(10)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    assert saved, "no autosave was reported"

    reopened = open_and_seed()
    try:
        body = StoryService(reopened, get_actor(reopened, "editor")).get(story.id).body
    finally:
        reopened.close()
    assert body.startswith(saved[-1])
    assert typed.startswith(body)
    assert len(saved[-1]) > 20


EARLY_CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtTest import QTest
import newsdesk.cli.main as cli
import newsdesk.ui.shell.app as ui_app

app = ui_app.application()
words = ("The council voted late on Tuesday to reopen the harbour " * 40).split()
state = {"n": 0, "window": None}


def type_next():
    window = state["window"]
    n = state["n"]
    state["n"] += 1
    QTest.keyClicks(window.editor, words[n % len(words)] + " ")
    attached = window.session.service is not None
    print("typed", "attached" if attached else "early", json.dumps(window.editor.toPlainText()), flush=True)
    QTimer.singleShot(15, type_next)


class StartTyping(QObject):
    # Test code, not a hook in the app: from the first expose on, it types as a reporter who starts at once.
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and state["window"] is None:
            window = next(widget for widget in app.topLevelWidgets() if isinstance(widget, ui_app.MainWindow))
            state["window"] = window
            window.session.story_saved.connect(lambda record: print("saved", "-", json.dumps(record.body), flush=True))
            window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
            QTimer.singleShot(0, type_next)
        return False


watcher = StartTyping()
app.installEventFilter(watcher)
sys.exit(cli.main(["--story", sys.argv[1]]))
"""


def _kill_early(script: Path, story_id: int, when: str) -> tuple[list[str], str, str]:
    """Run the window typing from its first paint; SIGKILL it at `when`: the first key typed early,
    the first typed after the store attached, or the first save. Returns the bodies saved, the text typed, the text typed early."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    command = [sys.executable, str(script), str(story_id)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    saved: list[str] = []
    typed = early = ""
    deadline = time.monotonic() + 60
    try:
        assert child.stdout is not None
        for line in child.stdout:
            kind, phase, payload = line.rstrip("\n").split(" ", 2)
            if kind == "saved":
                saved.append(json.loads(payload))
            else:
                typed = json.loads(payload)
                early = typed if phase == "early" else early
            if (when, kind, phase) in {("early", "typed", "early"), ("attached", "typed", "attached"), ("saved", "saved", "-")}:
                child.send_signal(signal.SIGKILL)
                break
            assert time.monotonic() < deadline, f"the child never reached {when}"
    finally:
        child.kill()
        child.wait(10)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    return saved, typed, early


def test_sigkill_in_the_first_second_keeps_the_story_whole(home: Path, tmp_path: Path):
    """Killed while typing into the first paint, just after the store attached, or at its first save: the story
    a second process reads is the old text or the last one saved, and what was typed early reaches the store."""
    store = open_and_seed()
    story = StoryService(store, get_actor(store, os_username())).create("Harbour reopens", body="Ships wait.")
    store.close()
    script = tmp_path / "type_from_the_start.py"
    script.write_text(EARLY_CHILD)
    for when in ("early", "attached", "saved"):
        before = _shown_body(story.id)
        saved, typed, early = _kill_early(script, story.id, when)
        body = _shown_body(story.id)
        assert body == (saved[-1] if saved else before), when
        assert typed.startswith(body), when
        if when == "saved":
            assert early and body.startswith(early), "the text typed before the store was ready was not in the first save"


def _shown_body(story_id: int) -> str:
    command = [sys.executable, "-m", "newsdesk", "story", "show", str(story_id), "--json"]
    shown = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(shown.stdout)["body"]
