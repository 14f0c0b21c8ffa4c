"""Start-up through `run`: the window first, then the store; a store that cannot open is said in one message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from newsdesk.ui.shell import app as ui_app
from newsdesk.ui.window.main_window import MainWindow


@pytest.fixture(autouse=True)
def quiet_start_up(monkeypatch):
    """`run` sets up the log file and excepthook for the whole process; not in a test process."""
    monkeypatch.setattr(ui_app, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "install_excepthook", lambda: None)


def test_run_opens_the_story_asked_for_and_quits_cleanly(qapp, home: Path, monkeypatch):
    from actors import get_actor

    from newsdesk.core.services.firstrun import open_and_seed
    from newsdesk.core.services.stories import StoryService

    store = open_and_seed()
    story = StoryService(store, get_actor(store, "editor")).create("Ferry service resumes", body="Boats sail at dawn.")
    store.close()
    seen: dict[str, object] = {}

    def inspect_then_close() -> None:
        window = next(widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow))
        if window.session.record is None:
            QTimer.singleShot(20, inspect_then_close)
            return
        seen["title"] = window.windowTitle()
        seen["focus"] = window.editor.hasFocus() or QApplication.focusWidget() is window.editor
        seen["caret"] = window.editor.textCursor().position()
        window.close()

    QTimer.singleShot(0, inspect_then_close)
    assert ui_app.run(story=story.slug) == 0
    assert seen == {"title": "Ferry service resumes — Newsdesk", "focus": True, "caret": 0}


def test_a_store_that_cannot_open_is_reported_and_the_app_exits(qapp, tmp_path: Path, monkeypatch):
    messages: list[str] = []
    monkeypatch.setattr(ui_app.QMessageBox, "critical", lambda parent, title, text: messages.append(text))
    assert ui_app.run(database=str(tmp_path)) == 2
    assert messages and "is a folder" in messages[0]
    for widget in QApplication.topLevelWidgets():
        widget.close()


FIRST_PAINT = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtTest import QTest
import newsdesk.cli.main as cli
import newsdesk.ui.shell.app as ui_app

app = ui_app.application()
typing = sys.argv[2]


def main_window():
    return next(widget for widget in app.topLevelWidgets() if isinstance(widget, ui_app.MainWindow))


class FirstPaint(QObject):
    # Test code, not a hook in the app: it watches the real start-up from outside, as the benchmark does.
    seen = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and not self.seen:
            self.seen = True
            window = main_window()
            print(json.dumps({
                "modules": sorted(name for name in ("sqlalchemy", "sqlmodel", "alembic", "markdown", "nh3") if name in sys.modules),
                "title": window.windowTitle(),
                "text": window.editor.toPlainText(),
                "caret": window.editor.textCursor().position(),
                "focus": window.focusWidget() is window.editor,  # the window's focus, active yet or not
                "writable": window.editor.isEnabled() and not window.editor.isReadOnly(),
                "attached": window.session.service is not None,
                "status": window.statusBar().currentMessage(),
            }), flush=True)
            if typing:
                QTest.keyClicks(window.editor, typing)
            QTimer.singleShot(0, wait_for_store)
        return False


def wait_for_store():
    window = main_window()
    if window.session.service is None or window.session.is_dirty:
        QTimer.singleShot(20, wait_for_store)
        return
    record = window.session.record
    print(json.dumps({"body": record and record.body, "editor": window.editor.toPlainText()}), flush=True)
    window.close()


watcher = FirstPaint()
app.installEventFilter(watcher)
sys.exit(cli.main(["--story", sys.argv[1]]))
"""


def _first_paint(story: int | str, typing: str = "") -> tuple[dict, dict]:
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(story), typing], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    painted, ready = (json.loads(line) for line in result.stdout.splitlines())
    return painted, ready


def _story(headline: str, body: str):
    from actors import get_actor

    from newsdesk.core.services.firstrun import open_and_seed
    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.services.users import os_username

    store = open_and_seed()
    try:
        return StoryService(store, get_actor(store, os_username())).create(headline, body=body)
    finally:
        store.close()


def test_the_first_paint_shows_the_story_with_the_caret_in_it_and_no_store_modules(home: Path):
    """SQLAlchemy and Alembic cost more than the whole window: the story is on screen, ready for typing, before they load."""
    story = _story("Ferry service resumes", "Boats sail at dawn.")
    painted, ready = _first_paint(story.slug)
    assert painted == {
        "modules": [],
        "title": "Ferry service resumes — Newsdesk",
        "text": "Boats sail at dawn.",
        "caret": 0,
        "focus": True,
        "writable": True,
        "attached": False,
        "status": "",
    }
    assert ready == {"body": "Boats sail at dawn.", "editor": "Boats sail at dawn."}


def test_what_is_typed_before_the_store_is_ready_is_saved_and_seen_by_the_command_line(home: Path):
    import json
    import subprocess
    import sys

    story = _story("Harbour reopens", "The harbour reopened.")
    painted, ready = _first_paint(story.id, "Early words. ")
    assert not painted["attached"]
    assert ready == {"body": "Early words. The harbour reopened.", "editor": "Early words. The harbour reopened."}
    command = [sys.executable, "-m", "newsdesk", "story", "show", str(story.id), "--json"]
    shown = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(shown.stdout)["body"] == "Early words. The harbour reopened."


def test_a_story_the_light_path_cannot_read_waits_for_the_store_and_says_so(home: Path):
    """What the light path cannot read (PostgreSQL, a schema to upgrade, here a story not there) waits for the full store."""
    _story("Ferry service resumes", "Boats sail at dawn.")
    painted, ready = _first_paint("no-such-story")
    assert (painted["modules"], painted["title"], painted["text"], painted["writable"]) == ([], "Newsdesk", "", False)
    assert painted["status"].startswith("Connecting to the store at sqlite:///")
    assert ready == {"body": None, "editor": ""}


def test_the_app_lets_workers_hold_the_interpreter_1_ms_at_a_time_not_5():
    import os
    import subprocess
    import sys

    script = "import sys; from newsdesk.ui.shell.app import application; application(); print(sys.getswitchinterval())"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert float(result.stdout) == ui_app.SWITCH_INTERVAL_S == 0.001
