"""The preview renders off the UI thread with the export's renderer and drops stale results."""

from __future__ import annotations

import threading

from newsdesk.core.rules import render
from newsdesk.ui.docks.preview import PreviewPane


def test_renders_with_the_shared_renderer_and_dateline(qtbot):
    pane = PreviewPane()
    qtbot.addWidget(pane)
    revision = pane.request("Talks resumed.\n\n<script>alert(1)</script>", dateline="UNITED NATIONS (AP) —")
    qtbot.waitUntil(lambda: pane.shown_revision == revision)
    text = pane.toPlainText()
    assert "UNITED NATIONS (AP) — Talks resumed." in text
    assert "alert" not in text


def test_a_stale_render_never_overwrites_a_newer_one(qtbot, monkeypatch):
    release = threading.Event()
    threads: list[str] = []

    def slow_first(text: str, *, dateline: str = "") -> str:
        threads.append(threading.current_thread().name)
        if text == "old":
            release.wait(5)
        return real(text, dateline=dateline)

    real = render.render_body
    monkeypatch.setattr(render, "render_body", slow_first)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.request("old")
    pane.request("middle")
    newest = pane.request("new")
    release.set()
    qtbot.waitUntil(lambda: pane.shown_revision == newest)
    assert pane.toPlainText().strip() == "new"
    assert "middle" not in threads and len(threads) == 2
    assert threading.main_thread().name not in threads


def test_follows_the_editor_scroll(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.resize(400, 200)
    editor.setPlainText("\n\n".join(f"Paragraph {n}" for n in range(300)))
    editor.show()
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(400, 200)
    pane.show()
    pane.follow(editor)
    revision = pane.request(editor.toPlainText())
    qtbot.waitUntil(lambda: pane.shown_revision == revision)
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    target = pane.verticalScrollBar()
    assert abs(target.value() - target.maximum() // 2) <= max(2, target.maximum() // 50)
