"""Does loading the spelling dictionaries freeze the window? The longest pause of a 10 ms UI timer while they load.

Cold: first run (pyspellchecker's JSON and the geonames files are parsed, caches written).
Warm: later runs (the plain-text caches in the data folder are read).
Run: pytest tests/perf/bench_spelling_ui.py -s
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from newsdesk.core.rules import spelling
from newsdesk.core.services import dictionaries
from newsdesk.ui.editor.editor import StoryEditor
from newsdesk.ui.editor.spelling import SpellingController


def longest_pause(qtbot, editor: StoryEditor) -> tuple[float, float]:
    """(seconds until ready, longest gap between timer ticks in ms) for one load."""
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    controller = SpellingController(editor.highlighter, parent=editor)
    started = time.perf_counter()
    timer.start()
    with qtbot.waitSignal(controller.ready, timeout=120_000):
        controller.load("en")
    timer.stop()
    return time.perf_counter() - started, max(gaps, default=0.0) * 1000


def test_loading_keeps_the_window_responsive(qtbot, home, monkeypatch):
    editor = StoryEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("A goverment report.")
    editor.show()
    print()
    for label in ("cold", "warm"):
        monkeypatch.setattr(spelling, "_lexicons", {})
        monkeypatch.setattr(dictionaries, "_places", None)
        seconds, pause = longest_pause(qtbot, editor)
        print(f"{label}: dictionaries ready in {seconds:.1f} s; longest UI pause {pause:.0f} ms")
    assert pause < 500
