"""With the slow-store-call log on, the common flows make no store call on the UI thread longer than 8 ms.

The window runs in a child process through the real start-up (`newsdesk --story`),
with NEWSDESK_DEBUG_SLOW_STORE_MS=8; the child script below is test code that
drives it as a reporter would: start, open, type, switch story, search the
budget, submit. It prints what `core.store.slow_calls` recorded; none may be left.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from actors import get_actor

from newsdesk.core.services.firstrun import open_and_seed
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import os_username
from newsdesk.core.store import slow_calls

FLOWS = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
import newsdesk.cli.main as cli
import newsdesk.ui.shell.app as ui_app
from newsdesk.core.store import slow_calls

app = ui_app.application()
first, second = sys.argv[1], sys.argv[2]
steps = []


def window():
    return next(widget for widget in app.topLevelWidgets() if isinstance(widget, ui_app.MainWindow))


def step(condition, action, done):
    steps.append((condition, action, done))


def run_steps():
    if not steps:
        print(json.dumps([[round(call.milliseconds, 1), call.statement, call.caller] for call in slow_calls.recorded]), flush=True)
        window().close()
        return
    condition, action, done = steps[0]
    if condition():
        steps.pop(0)
        action()
        QTimer.singleShot(done, run_steps)
    else:
        QTimer.singleShot(20, run_steps)


attached = lambda: window().session.record is not None and "workflow_submit" in window().actions_by_name
step(attached, lambda: QTest.keyClicks(window().editor, "More words. "), 2500)  # past the autosave
step(lambda: True, lambda: window().open_story(int(second)), 1000)
step(lambda: True, lambda: QTest.keyClicks(window().budget.search, "harbour"), 1500)
step(lambda: True, lambda: window().budget.search.clear(), 1000)
step(lambda: True, lambda: window().actions_by_name["workflow_submit"].trigger(), 1500)
QTimer.singleShot(0, run_steps)
sys.exit(cli.main(["--story", first]))
"""


@pytest.mark.xfail(strict=True, reason=(
    "Issue 18 item 2, not done yet: the log still finds, on the UI thread, the sign-in and the section list at start "
    "(users.sign_in, app.attach_store), the story session's open and save (StoryService.get / update), the submit "
    "(workflow_actions), the metadata panel's fill and slug suggestion, and the lock keeper's take and release"
))
def test_the_common_flows_make_no_slow_store_call_on_the_ui_thread(home: Path, tmp_path: Path):
    store = open_and_seed()
    service = StoryService(store, get_actor(store, os_username()))
    first = service.create("Harbour reopens", body="The harbour reopened at dawn. " * 200)
    second = service.create("Harbour strike ends", body="Dockers went back to work. " * 200)
    for number in range(200):
        service.create(f"Harbour story {number}", body="Ships and the harbour. " * 20)
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{slow_calls.SLOW_STORE_ENV: "8"})
    command = [sys.executable, "-c", FLOWS, str(first.id), str(second.id)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240)
    assert result.returncode == 0, result.stderr
    slow = json.loads(result.stdout.splitlines()[-1])
    assert slow == [], "\n".join(f"{ms} ms: {statement}\n{caller}" for ms, statement, caller in slow)
    shown = subprocess.run([sys.executable, "-m", "newsdesk", "story", "show", str(second.id), "--json"],
                           capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(shown.stdout)["status"] == "submitted"
