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
    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.services.users import get_actor
    from newsdesk.core.services.firstrun import open_and_seed

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


def test_nothing_before_the_first_paint_loads_the_store_modules(home: Path):
    """SQLAlchemy costs more than the whole window; it must load after the window is on screen."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "import newsdesk.cli.main as cli\n"
        "assert cli._window_request([]) is not None\n"
        "import newsdesk.ui.shell.app as ui_app\n"
        "app = ui_app.application()\n"
        "window = ui_app.MainWindow(ui_app.settings())\n"
        "ui_app.install_import(window)\n"
        "ui_app.install_spelling(window)\n"
        "ui_app.install_export(window)\n"
        "ui_app.SingleInstance(ui_app.database_url(None)).claim()\n"
        "window.show()\n"
        "print(sorted(name for name in ('sqlalchemy', 'sqlmodel', 'markdown', 'nh3') if name in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
