"""The window's colours in both schemes: readable on their paper, and followed by the highlighter, the diff and the preview."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument

from newsdesk.ui.common import theme

TEXT_COLOURS = ("ink", "heading", "marker", "quote", "list_marker", "link", "link_url", "code", "error", "warning", "muted")
UI = Path(theme.__file__).parents[1]
WRITTEN_COLOUR = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|\brgba?\(")


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
    assert contrast(colours.notice_ink, colours.notice_paper) >= 4.5
    assert {field.name for field in fields(colours)} >= set(TEXT_COLOURS)


def test_both_schemes_name_every_colour():
    named = [field.name for field in fields(theme.Theme) if field.name != "dark"]
    assert len(named) >= 25
    for name in named:
        light, dark = getattr(theme.LIGHT, name), getattr(theme.DARK, name)
        assert re.fullmatch(r"#[0-9a-f]{6}", light) and re.fullmatch(r"#[0-9a-f]{6}", dark), name
        assert light != dark, f"{name} is the same in both schemes"
    for paper in ("paper", "notice_paper", "caution_paper", "card_paper", "returned_paper"):
        assert (luminance(getattr(theme.DARK, paper)) < 0.2) and (luminance(getattr(theme.LIGHT, paper)) > 0.6), paper


def test_no_ui_module_but_the_theme_writes_a_colour():
    written = {
        f"{path.relative_to(UI)}:{number}": line.strip()
        for path in UI.rglob("*.py") if path != Path(theme.__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if WRITTEN_COLOUR.search(line)
    }
    assert len(list(UI.rglob("*.py"))) > 40
    assert written == {}


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


def test_styled_widgets_follow_the_scheme(qtbot, store, dark):
    from datetime import UTC, datetime

    from newsdesk.core.services.locks import LockState
    from newsdesk.ui.dialogs.sign_in import SignInDialog
    from newsdesk.ui.editor.read_only_bar import ReadOnlyBar
    from newsdesk.ui.features.locking import LockIndicator

    bar, indicator, sign_in = ReadOnlyBar(), LockIndicator(), SignInDialog(store)
    for widget in (bar, indicator, sign_in):
        qtbot.addWidget(widget)
    indicator.show_state(LockState(1, "rita", "Rita Reporter", datetime.now(UTC), mine=False))
    assert theme.LIGHT.notice_paper in bar.styleSheet() and theme.LIGHT.warning in indicator.styleSheet()
    assert theme.LIGHT.error in sign_in.error.styleSheet()
    dark()
    assert theme.DARK.notice_paper in bar.styleSheet() and theme.LIGHT.notice_paper not in bar.styleSheet()
    assert theme.DARK.notice_ink in bar.styleSheet() and theme.DARK.warning in indicator.styleSheet()
    assert theme.DARK.error in sign_in.error.styleSheet()
    indicator.show_state(LockState(1, "editor", "Ed Itor", datetime.now(UTC), mine=True))
    assert indicator.styleSheet() == ""


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
