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

from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import get_actor
from newsdesk.core.services.firstrun import open_and_seed

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
    child = subprocess.Popen([sys.executable, str(script), str(story.id)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
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
