"""The live preview: the story's own web page (core.export.preview), drawn off the UI thread as typing pauses.

The page is `rich_text_page`: the exported article template, with the site's
stylesheet spelt in the CSS subset Qt's rich text reads. QTextBrowser costs
no start-up (the pane is built in about 60 ms, its 10,000-word page adds about
20 MB; tests/perf/bench_preview.py); QtWebEngine would add the PySide6-Addons
wheel, which Newsdesk does not install, and a Chromium process per window. What rich text cannot draw (the side rail, rules, the measure)
is what "Open in Browser" is for: it writes the exact page, stylesheet inside,
to the preview folder and opens it. "Phone width" lays the page out 400 px
wide, as a phone shows it.

Rendering (Markdown, sanitising, the template) runs on the global QThreadPool
(a `Worker`); each request carries a revision number and a result that is no
longer the newest is dropped, so a slow render never overwrites a newer one.
One render runs at a time; requests made meanwhile collapse into the latest.
The preview follows the paragraph the reporter is at: the caret's while it is
on screen, else the first one shown, found in the page by its opening words.
The renderer is imported by the first job, off the start-up path.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.common import theme
from newsdesk.ui.common.workers import Worker

if TYPE_CHECKING:
    from newsdesk.core.export.catalogue import SiteSettings
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.rules.figures import Picture

log = logging.getLogger(__name__)

PHONE_WIDTH = 400
"""The page's width in px with "Phone width" on."""
FOLLOW_DELAY_MS = 60
"""Caret moves and scrolls are gathered this long before the preview follows (one search per burst of keys)."""
DOCUMENT_MARGIN = 16
"""The page's own padding (`main { padding: 1rem }`), which rich text does not apply to a `main` element."""
KEY_WORDS = 6
"""How many of a paragraph's opening words find it in the page."""

SettingsSource = Callable[[], "SiteSettings"]
PicturesSource = Callable[["StoryRecord"], Mapping[int, "Picture"]]
"""The story's images for the preview (`core.export.preview.preview_pictures`), called on the worker."""
_MARKUP = (
    (re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)+"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[\^[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),
    (re.compile(r"<[^>]*>"), ""),
    (re.compile(r"\*+|`+|(?<!\w)_+|_+(?!\w)|\\"), ""),
)


def paragraph_key(text: str) -> str:
    """The opening words of a Markdown paragraph as the page shows them (markup left out), to find it there."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split()[:KEY_WORDS])


class PreviewPane(QWidget):
    """The open story's page as readers will see it, kept beside the editor; `toPlainText`/`toHtml` are what it shows.

    `browser_opened(path)` fires when Open in Browser has written and opened the
    page; `message(text)` carries what the status bar should say.
    """

    browser_opened = Signal(object)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.view = QTextBrowser(self)
        self.view.setObjectName("storyPreview")
        self.view.setAccessibleName("Preview")
        self.view.setAccessibleDescription("The story as its web page will show it")
        self.view.setOpenLinks(False)
        self.phone_button = self._button("phoneWidth", "&Phone Width", f"Show the page {PHONE_WIDTH} px wide, as on a phone")
        self.phone_button.setCheckable(True)
        self.phone_button.toggled.connect(self.set_phone_width)
        self.browser_button = self._button(
            "previewInBrowser", "Open in &Browser", "Show this exact page, unsaved text included, in your web browser"
        )
        self.browser_button.clicked.connect(self.open_in_browser)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.phone_button)
        bar.addStretch(1)
        bar.addWidget(self.browser_button)
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addLayout(self._row, 1)

        self._revision = 0
        self._rendering = 0
        self._shown = 0
        self._queued: tuple[StoryRecord, str] | None = None
        self._latest: tuple[StoryRecord, str] | None = None
        self._asked: tuple[StoryRecord, str] | None = None
        self._settings: SettingsSource | None = None
        self._pictures: PicturesSource | None = None
        self._editor: QPlainTextEdit | None = None
        self._document: QTextDocument | None = None
        self._found: tuple[tuple[int, str], int | None] | None = None
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self.sync_to_editor)
        self._worker = Worker(self)
        self._worker.succeeded.connect(self._show)
        self._browser = Worker(self)
        self._browser.succeeded.connect(self._open_page)
        self._browser.failed.connect(self.message)
        self.browser_button.setEnabled(False)
        theme.follow(self._scheme_changed)

    def _button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    @property
    def revision(self) -> int:
        """The newest request's number; `shown_revision` equals it once that render is on screen."""
        return self._revision

    @property
    def shown_revision(self) -> int:
        return self._shown

    def toPlainText(self) -> str:
        return self.view.toPlainText()

    def toHtml(self) -> str:
        return self.view.toHtml()

    def set_settings_source(self, source: SettingsSource | None) -> None:
        """Where each render reads the newsroom's name and site address (called on the worker); None: the defaults."""
        self._settings = source
        self._asked = None

    def set_pictures_source(self, source: PicturesSource | None) -> None:
        """Where each render gets the story's images (called on the worker); None: the page shows none."""
        self._pictures = source

    def follow(self, editor: QPlainTextEdit) -> None:
        """Keep this preview at the paragraph `editor` is at (its caret's, or the first on screen)."""
        self._editor = editor
        editor.cursorPositionChanged.connect(self._follow.start)
        editor.verticalScrollBar().valueChanged.connect(self._follow.start)

    def request(self, story: StoryRecord, body: str) -> int:
        """Render `story`'s page with `body` (the editor's text) in the background; returns the request's revision.

        The page last asked for is not drawn again: the editor's pause also
        follows a repaint of the spelling underlines, and drawing a long story
        costs a good part of a second of a core.
        """
        if self._asked == (story, body):
            return self._revision
        self._asked = (story, body)
        self._revision += 1
        self._queued = self._latest = (story, body)
        self.browser_button.setEnabled(True)
        if not self._worker.running:
            self._start()
        return self._revision

    def _scheme_changed(self, _scheme: object) -> None:
        self._asked = None
        if self._latest is not None:
            self.request(*self._latest)

    def set_phone_width(self, on: bool) -> None:
        """Lay the page out PHONE_WIDTH px wide (the pane narrows to it, centred), or to the pane's width."""
        if self.phone_button.isChecked() != on:
            self.phone_button.setChecked(on)
            return
        view = self.view
        if on:
            view.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
            view.setLineWrapColumnOrWidth(PHONE_WIDTH)
            chrome = view.frameWidth() * 2 + view.verticalScrollBar().sizeHint().width()
            view.setMaximumWidth(PHONE_WIDTH + chrome)
            self._row.insertStretch(0, 1)
            self._row.addStretch(1)
        else:
            view.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
            view.setMaximumWidth(16_777_215)
            for index in reversed(range(self._row.count())):
                item = self._row.itemAt(index)
                if item is not None and item.widget() is None:
                    self._row.takeAt(index)
        self._follow.start()

    def open_in_browser(self) -> None:
        """Write the exact page (the real stylesheet, the unsaved text) to the preview folder and open it."""
        if self._latest is None:
            return
        story, body = self._latest
        settings, pictures = self._settings, self._pictures
        self._browser.start(lambda _job: _write_browser_page(story, body, settings, pictures))

    def _open_page(self, page: object) -> None:
        assert isinstance(page, Path)
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(page))):
            self.message.emit(f"The preview is open in your browser ({page}).")
        else:
            self.message.emit(f"No web browser could be started; the preview is {page}")
        self.browser_opened.emit(page)

    def _start(self) -> None:
        assert self._queued is not None
        story, body = self._queued
        self._queued = None
        self._rendering = self._revision
        settings, pictures, home, dark = self._settings, self._pictures, self.thread(), theme.current().dark
        self._worker.start(lambda _job: _render(story, body, settings, home, dark=dark, pictures=pictures))

    def _show(self, document: object) -> None:
        assert isinstance(document, QTextDocument)
        if self._queued is not None:
            document.deleteLater()
            self._start()
            return
        if self._rendering != self._revision:
            log.debug("Dropped stale preview %s (newest %s)", self._rendering, self._revision)
            document.deleteLater()
            return
        previous, self._document = self._document, document
        document.setParent(self.view)
        self.view.setDocument(document)
        if previous is not None:
            previous.deleteLater()
        self._shown = self._rendering
        self.sync_to_editor()

    def sync_to_editor(self) -> None:
        """Scroll to the editor's paragraph, at the height it has in the editor (by proportion when it is not found)."""
        editor = self._editor
        if editor is None or self._shown == 0:
            return
        block, offset = _anchor(editor)
        target = self.view.verticalScrollBar()
        if not block:
            target.setValue(0)
            return
        position = self._find(paragraph_key(block))
        if position is None:
            source = editor.verticalScrollBar()
            target.setValue(0 if source.maximum() <= 0 else round(source.value() / source.maximum() * target.maximum()))
            return
        document = self.view.document()
        top = document.documentLayout().blockBoundingRect(document.findBlock(position)).top()
        target.setValue(round(top - offset))

    def _find(self, key: str) -> int | None:
        """Where the paragraph opening with `key` is in the page shown, or None.

        Remembered for the page: typing keeps the caret in one paragraph, and
        searching the whole page after every burst of keys would cost the story's length.
        """
        wanted = (self._shown, key)
        if self._found is None or self._found[0] != wanted:
            found = self.view.document().find(key) if key else QTextCursor()
            self._found = (wanted, None if found.isNull() else found.selectionStart())
        return self._found[1]

    def anchored_key(self) -> str:
        """The opening words of the paragraph the preview is following (for tests and the log)."""
        return paragraph_key(_anchor(self._editor)[0]) if self._editor is not None else ""


def _anchor(editor: QPlainTextEdit) -> tuple[str, float]:
    """The first line of the paragraph to follow and its distance from the top of the editor's view, in px.

    ("", 0) for the story's first paragraph (or none): the page is then shown from its top, headline and all.
    """
    cursor = editor.textCursor()
    rect = editor.cursorRect(cursor)
    block = cursor.block()
    if rect.bottom() < 0 or rect.top() > editor.viewport().height():
        block = editor.firstVisibleBlock()
    while block.isValid() and not block.text().strip():
        block = block.next()
    if not block.isValid():
        return "", 0.0
    start = block
    while start.previous().isValid() and start.previous().text().strip():
        start = start.previous()
    first = editor.document().firstBlock()
    while first.isValid() and not first.text().strip():
        first = first.next()
    if start == first:
        return "", 0.0
    top = editor.blockBoundingGeometry(start).translated(editor.contentOffset()).top()
    return start.text(), max(0.0, top)


def _render(
    story: StoryRecord, body: str, settings: SettingsSource | None, home: QThread, *, dark: bool, pictures: PicturesSource | None = None,
) -> QTextDocument:
    """Runs on the worker: the page, and the rich-text document parsed from it, handed to the UI thread (`home`).

    Parsing 80 kB of HTML and its stylesheet is most of the cost of a long story; only the layout is left for the UI thread.
    The renderer is imported here, off the start-up path.
    """
    from newsdesk.core.export import preview

    page = preview.rich_text_page(story, body=body, settings=settings() if settings else preview.DEFAULT_SETTINGS, dark=dark,
                                  pictures=pictures(story) if pictures and story.images else None)
    document = QTextDocument()
    document.setDocumentMargin(DOCUMENT_MARGIN)
    document.setHtml(page)
    document.moveToThread(home)
    return document


def _write_browser_page(story: StoryRecord, body: str, settings: SettingsSource | None, pictures: PicturesSource | None = None) -> Path:
    from newsdesk.core.export import preview
    from newsdesk.core.export.site import default_preview_folder

    site = settings() if settings else preview.DEFAULT_SETTINGS
    return preview.write_browser_page(default_preview_folder(), story, body=body, settings=site,
                                      pictures=pictures(story) if pictures and story.images else None)

