"""The live preview: the story rendered by the export's own renderer, off the UI thread.

`request` is called when typing pauses. Rendering (Markdown, sanitising) runs on
the global QThreadPool (a `Worker`); each request carries a revision number and a result
that is no longer the newest is dropped, so a slow render never overwrites a
newer one. One render runs at a time; requests made meanwhile collapse into the
latest. The preview keeps the same relative scroll position as the editor.
The renderer (Markdown, nh3) is imported by the first job, off the start-up path.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QPlainTextEdit, QTextBrowser, QWidget

from newsdesk.ui.common.workers import Worker

log = logging.getLogger(__name__)

PREVIEW_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; font-size: 12pt; color: #1f2328; }
h1 { font-size: 20pt; margin-bottom: 4px; }
h2 { font-size: 15pt; margin-top: 14px; }
h3 { font-size: 13pt; }
p.dek { font-size: 13pt; color: #4b5563; margin-top: 0; }
p.byline { font-size: 10pt; color: #6b7280; }
span.dateline { font-weight: bold; }
blockquote { color: #374151; margin-left: 12px; font-style: italic; }
a { color: #0b5cad; }
"""


class PreviewPane(QTextBrowser):
    """Read-only rendering of the open story; follows an editor's scroll position."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyPreview")
        self.setAccessibleName("Preview")
        self.setAccessibleDescription("The story as the web page will show it")
        self.setOpenLinks(False)
        self.document().setDefaultStyleSheet(PREVIEW_CSS)
        self._revision = 0
        self._rendering = 0
        self._shown = 0
        self._queued: tuple[str, str, str] | None = None
        self._heading = ""
        self._editor: QPlainTextEdit | None = None
        self._worker = Worker(self)
        self._worker.succeeded.connect(self._show)

    @property
    def revision(self) -> int:
        """The newest request's number; `shown_revision` equals it once that render is on screen."""
        return self._revision

    @property
    def shown_revision(self) -> int:
        return self._shown

    def follow(self, editor: QPlainTextEdit) -> None:
        """Keep this preview scrolled to the same part of the story as `editor`."""
        self._editor = editor
        editor.verticalScrollBar().valueChanged.connect(self._sync_scroll)

    def request(self, markdown: str, *, dateline: str = "", heading: str = "") -> int:
        """Render `markdown` in the background; `heading` is trusted HTML built by the caller (escaped)."""
        self._revision += 1
        self._queued = (markdown, dateline, heading)
        if not self._worker.running:
            self._start()
        return self._revision

    def _start(self) -> None:
        assert self._queued is not None
        markdown, dateline, heading = self._queued
        self._queued = None
        self._heading = heading
        self._rendering = self._revision
        self._worker.start(lambda _job: _render(markdown, dateline))

    def _show(self, html: object) -> None:
        if self._queued is not None:
            self._start()
            return
        if self._rendering != self._revision:
            log.debug("Dropped stale preview %s (newest %s)", self._rendering, self._revision)
            return
        self.setHtml(self._heading + str(html))
        self._shown = self._rendering
        self._sync_scroll()

    def _sync_scroll(self) -> None:
        if self._editor is None:
            return
        source = self._editor.verticalScrollBar()
        target = self.verticalScrollBar()
        if source.maximum() <= 0:
            target.setValue(0)
            return
        target.setValue(round(source.value() / source.maximum() * target.maximum()))


def _render(markdown: str, dateline: str) -> str:
    """Runs on the worker; the renderer is imported here, off the start-up path."""
    from newsdesk.core.rules import render

    return render.render_body(markdown, dateline=dateline)
