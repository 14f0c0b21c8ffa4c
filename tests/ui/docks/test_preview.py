"""The preview is the story's page: drawn off the UI thread from the export's template, stale results dropped."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from newsdesk.core.export import preview as page_preview
from newsdesk.ui.docks.preview import PHONE_WIDTH, PreviewPane, paragraph_key


@pytest.fixture
def story(service):
    from newsdesk.core.records import LinkInput

    record = service.create(
        "Harbour ferry returns",
        subheadline="The crossing reopens after a month",
        body="The ferry ran again on Monday.\n\n## Reaction\n\nPassengers cheered.",
        byline="Ana Silva",
        dateline={"place": "Halifax", "credit": "Newsdesk"},
        tagline="Ana Silva covers transport.",
        links=[LinkInput(title="Timetable", url="https://example.org/ferry")],
    )
    return service.get(record.id)


def shown(qtbot, pane: PreviewPane, revision: int) -> str:
    qtbot.waitUntil(lambda: pane.shown_revision == revision)
    return pane.toPlainText()


def test_shows_the_pages_template_with_its_stylesheet(qtbot, story):
    pane = PreviewPane()
    qtbot.addWidget(pane)
    text = shown(qtbot, pane, pane.request(story, story.body + "\n\nTyped, not saved."))
    for part in ("Harbour ferry returns", "The crossing reopens after a month", "By Ana Silva", "HALIFAX (Newsdesk) — The ferry ran again",
                 "Reaction", "Ana Silva covers transport.", "Related", "Timetable", "Typed, not saved.",
                 "Preview: this story is not published"):
        assert part in text, part
    assert "Skip to content" not in text
    html = pane.toHtml()
    assert "Georgia" in html, "the page's own typography"
    assert 'href="https://example.org/ferry"' in html


def test_a_stale_render_never_overwrites_a_newer_one(qtbot, monkeypatch, story):
    release = threading.Event()
    threads: list[str] = []
    real = page_preview.rich_text_page

    def slow_first(record, *, body, settings, dark, pictures):
        threads.append(threading.current_thread().name)
        if body == "old":
            release.wait(5)
        return real(record, body=body, settings=settings, dark=dark, pictures=pictures)

    monkeypatch.setattr(page_preview, "rich_text_page", slow_first)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.request(story, "old")
    pane.request(story, "middle")
    newest = pane.request(story, "new")
    release.set()
    text = shown(qtbot, pane, newest)
    assert "HALIFAX (Newsdesk) — new" in text and "middle" not in text
    assert len(threads) == 2 and threading.main_thread().name not in threads


def test_the_page_last_asked_for_is_drawn_once_until_the_text_or_the_settings_change(qtbot, monkeypatch, story):
    drawn: list[str] = []
    real = page_preview.rich_text_page

    def counted(record, *, settings, **options):
        drawn.append(settings.newsroom_name)
        return real(record, settings=settings, **options)

    monkeypatch.setattr(page_preview, "rich_text_page", counted)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    first = pane.request(story, story.body)
    shown(qtbot, pane, first)
    assert pane.request(story, story.body) == first
    qtbot.wait(50)
    assert len(drawn) == 1 and pane.shown_revision == first
    pane.set_settings_source(lambda: replace(page_preview.DEFAULT_SETTINGS, newsroom_name="The Harbour Courier"))
    assert "The Harbour Courier" in shown(qtbot, pane, pane.request(story, story.body))
    assert "Typed" in shown(qtbot, pane, pane.request(story, story.body + " Typed"))
    assert drawn[1:] == ["The Harbour Courier", "The Harbour Courier"]


def test_the_site_settings_come_from_the_source_given(qtbot, story):
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.set_settings_source(lambda: replace(page_preview.DEFAULT_SETTINGS, newsroom_name="The Harbour Courier"))
    assert "The Harbour Courier" in shown(qtbot, pane, pane.request(story, story.body))


def test_the_images_come_from_the_source_given_off_the_ui_thread(qtbot, service, story, tmp_path):
    """The pane asks its source for the story's images on its worker and shows them by their file address."""
    import picture_files

    from newsdesk.core.export.preview import preview_pictures

    pictured = service.add_image(story.id, picture_files.jpeg(1000, 700), "ferry.jpg", alt="The ferry", caption="At the quay",
                                 lead=True)
    threads: list[str] = []

    def source(record):
        threads.append(threading.current_thread().name)
        return preview_pictures(service.store, tmp_path / "preview", record)

    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.set_pictures_source(source)
    text = shown(qtbot, pane, pane.request(pictured, pictured.body))
    assert "At the quay" in text
    [rendition] = (tmp_path / "preview").rglob("800.jpg")
    assert f'src="{rendition.resolve().as_uri()}"' in pane.toHtml()
    assert threads and threading.main_thread().name not in threads


def test_phone_width_lays_the_page_out_400_px_wide(qtbot, story):
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    shown(qtbot, pane, pane.request(story, story.body))
    assert pane.view.document().textWidth() > PHONE_WIDTH + 100
    pane.phone_button.click()
    assert pane.view.lineWrapMode() == QTextEdit.LineWrapMode.FixedPixelWidth
    qtbot.waitUntil(lambda: pane.view.document().textWidth() == PHONE_WIDTH)
    assert pane.view.width() < 500, "the pane narrows to the phone's width"
    pane.phone_button.click()
    qtbot.waitUntil(lambda: pane.view.document().textWidth() > PHONE_WIDTH + 100)


def following(qtbot, story, text: str) -> tuple[QPlainTextEdit, PreviewPane]:
    """An editor holding `text` and a preview pane following its caret, both 400×300, the first page shown."""
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.resize(400, 300)
    editor.setPlainText(text)
    editor.show()
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(400, 300)
    pane.show()
    pane.follow(editor)
    shown(qtbot, pane, pane.request(story, editor.toPlainText()))
    return editor, pane


def test_follows_the_caret_paragraph(qtbot, story):
    references = "\n\n".join(f"[r{n}]: https://example.org/{n}" for n in range(200))
    editor, pane = following(qtbot, story, references + "\n\n" + "\n\n".join(
        f"Paragraph {n} says *something* about item {n}." for n in range(300)))
    assert pane.view.verticalScrollBar().value() == 0, "the first paragraph: the page from its top"
    assert "example.org/1" not in pane.toPlainText(), "link definitions take room in the editor only"

    def preview_top() -> str:
        return pane.view.cursorForPosition(pane.view.viewport().rect().topLeft()).block().text()

    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(2 * (200 + 150)).position())
    editor.setTextCursor(cursor)
    editor.centerCursor()
    assert pane.anchored_key() == "Paragraph 150 says something about item"
    qtbot.waitUntil(lambda: any(f"Paragraph {n} says" in preview_top() for n in range(140, 151)))
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: any(f"Paragraph {n} says" in preview_top() for n in range(285, 300)))


def test_typing_in_a_paragraph_searches_the_page_for_it_once(qtbot, story):
    editor, pane = following(qtbot, story, "\n\n".join(f"Paragraph {n} says something about item {n}." for n in range(300)))
    searched: list[str] = []

    def count_searches() -> None:
        document = pane.view.document()
        search = document.find
        document.find = lambda key: searched.append(key) or search(key)

    count_searches()
    cursor = editor.textCursor()
    paragraph = editor.document().findBlockByNumber(2 * 150)
    cursor.setPosition(paragraph.position() + paragraph.length() - 1)
    editor.setTextCursor(cursor)
    editor.centerCursor()
    for letter in " Quite.":
        editor.insertPlainText(letter)
        pane.sync_to_editor()
    top = pane.view.verticalScrollBar().value()
    assert searched == ["Paragraph 150 says something about item"] and top > 0
    longer = "\n\n".join(["A paragraph the new page has above the others."] * 20 + [editor.toPlainText()])
    shown(qtbot, pane, pane.request(story, longer))
    assert pane.view.verticalScrollBar().value() > top, "a new page is searched again"


def test_paragraph_key_leaves_the_markup_out():
    assert paragraph_key("## A **bold** [link](https://x.org/) and `code` in_word here") == "A bold link and code in_word"
    assert paragraph_key("> - 1. Quoted") == "Quoted"


def test_open_in_browser_writes_the_exact_page_outside_the_data_folder(qtbot, monkeypatch, story, home):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    assert not pane.browser_button.isEnabled()
    shown(qtbot, pane, pane.request(story, "Typed just now."))
    with qtbot.waitSignal(pane.browser_opened) as written:
        pane.browser_button.click()
    page = written.args[0]
    assert opened == [QUrl.fromLocalFile(str(page))]
    assert (home / "data") not in page.parents and page.is_relative_to(home)
    seen = subprocess.run([sys.executable, "-c", f"print(open({str(page)!r}, encoding='utf-8').read())"],
                          capture_output=True, text=True, check=True).stdout
    assert "--ink:" in seen and "@media" in seen, "the real stylesheet, not the rich-text one"
    assert "Typed just now." in seen and "Harbour ferry returns" in seen
    assert not list(page.parent.glob(".*.tmp"))
