"""The window's colours in both schemes: readable on their paper, and followed by the highlighter, the diff and the preview."""

from __future__ import annotations

from dataclasses import fields

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument

from newsdesk.ui.common import theme

TEXT_COLOURS = ("ink", "heading", "marker", "quote", "list_marker", "link", "link_url", "code", "error")


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colours", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_each_text_colour_reads_on_its_paper(colours):
    for name in TEXT_COLOURS:
        assert contrast(getattr(colours, name), colours.paper) >= 4.5, name
    assert contrast(colours.deleted_ink, colours.deleted_paper) >= 4.5
    assert contrast(colours.inserted_ink, colours.inserted_paper) >= 4.5
    assert {field.name for field in fields(colours)} >= set(TEXT_COLOURS)


@pytest.fixture
def dark(monkeypatch, qapp):
    """The system switching to dark (offscreen Qt cannot be switched, so the scheme is answered and the signal sent)."""

    def switch() -> None:
        monkeypatch.setattr(theme, "current", lambda: theme.DARK)
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)

    return switch


def test_the_highlighter_follows_the_scheme(qtbot, dark):
    from newsdesk.ui.editor.highlighter import MarkdownHighlighter

    document = QTextDocument("## Heading")
    highlighter = MarkdownHighlighter(document)
    assert highlighter.formats["heading"].foreground().color().name() == theme.LIGHT.heading
    dark()
    assert highlighter.formats["heading"].foreground().color().name() == theme.DARK.heading
    assert highlighter.formats["misspelt"].underlineColor().name() == theme.DARK.misspelt


def test_the_diff_colours_follow_the_scheme(dark):
    from newsdesk.core.rules.diff import FieldChange, compare
    from newsdesk.ui.dialogs.review import changes_html

    changes: list[FieldChange] = compare({"body": "The old text."}, {"body": "The new text."})
    assert theme.LIGHT.deleted_paper in changes_html(changes)
    dark()
    html = changes_html(changes)
    assert theme.DARK.deleted_paper in html and theme.DARK.inserted_paper in html


def test_the_preview_follows_the_scheme(qtbot, service, dark):
    from newsdesk.ui.docks.preview import PreviewPane

    story = service.create("Night shift", body="Late copy.")
    pane = PreviewPane()
    qtbot.addWidget(pane)
    revision = pane.request(story, story.body)
    qtbot.waitUntil(lambda: pane.shown_revision == revision)
    assert "#1e1f22" not in pane.toHtml()
    dark()
    qtbot.waitUntil(lambda: pane.shown_revision == pane.revision > revision)
    assert "#1e1f22" in pane.toHtml() and "Late copy." in pane.toPlainText()
