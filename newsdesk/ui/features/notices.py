"""Notices and the return note: what others did to your stories, said without stopping you.

- A notice card appears in the bottom-right corner of the text column when one of
  your stories is returned (with the editor's note), approved, published,
  killed or corrected, or when an editor breaks the lock you hold; clicking it
  opens the story, × dismisses it. Nothing is modal: typing goes on. The
  events are read on a worker (`core.services.notices`) for just the stories
  the change signal named.
- The return-note bar sits above the text of a draft an editor returned,
  carrying the note, until the reporter submits it again (the note is kept
  with the draft: `rules.workflow.return_note_after`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from newsdesk.core.rules.domain import Status
from newsdesk.ui.common import theme
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.features.host import Host
from newsdesk.ui.features.live import LiveUpdates, install_live

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.notices import Notice
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.docks.budget import BudgetPanel
    from newsdesk.ui.editor.conflict_bar import ConflictBar
    from newsdesk.ui.editor.editor import StoryEditor

log = logging.getLogger(__name__)

MAX_CARDS = 4
CARD_WIDTH = 340


class NoticesHost(Host, Protocol):
    """The window as the notices see it: a `Host` with the budget, the editor and the conflict bar (the bars' column)."""

    @property
    def budget(self) -> BudgetPanel: ...

    @property
    def editor(self) -> StoryEditor: ...

    @property
    def conflict_bar(self) -> ConflictBar: ...


class NoticeCard(QFrame):
    """One notice: its words (a click opens the story) and a × to dismiss it."""

    opened = Signal(int)

    def __init__(self, notice: Notice, parent: QWidget) -> None:
        super().__init__(parent)
        self.notice = notice
        self.setObjectName("noticeCard")
        self.setAccessibleName("Notice")
        theme.style(self, lambda colours: f"#noticeCard {{ background: {colours.card_paper};"
                                          f" border: 1px solid {colours.card_rule}; border-radius: 4px; }}")
        self.label = QLabel(notice.text, self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton("Open", self)
        self.button.setObjectName("noticeOpen")
        self.button.setToolTip("Open the story")
        self.button.setAccessibleName(f"{notice.text} Open the story.")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAccessibleName("Dismiss the notice")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 2, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.button.clicked.connect(lambda: self.opened.emit(notice.story_id))
        self.button.clicked.connect(self.deleteLater)
        self.close_button.clicked.connect(self.deleteLater)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click anywhere on the card opens the story, as its Open button does."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.button.click()
            return
        super().mouseReleaseEvent(event)


class NoticeArea(QWidget):
    """The stack of cards, floating over the bottom-right corner of the text column (the bars above the text stay readable)."""

    def __init__(self, column: QWidget) -> None:
        super().__init__(column)
        self.setObjectName("notices")
        self.setAccessibleName("Notices")
        self.column = column
        self.cards = QVBoxLayout(self)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(4)
        column.installEventFilter(self)
        self.hide()

    def add(self, card: NoticeCard) -> None:
        while self.cards.count() >= MAX_CARDS:
            item = self.cards.takeAt(0)
            oldest = item.widget() if item is not None else None
            if oldest is not None:
                oldest.deleteLater()
        self.cards.addWidget(card)
        card.destroyed.connect(self._settle)
        self._settle()

    def shown(self) -> list[NoticeCard]:
        items = (self.cards.itemAt(i) for i in range(self.cards.count()))
        return [item.widget() for item in items if item is not None and isinstance(item.widget(), NoticeCard)]  # type: ignore[misc]

    def _settle(self, _gone: object = None) -> None:
        self.setVisible(self.cards.count() > 0)
        self.adjustSize()
        self._place()
        self.raise_()

    def _place(self) -> None:
        width = min(CARD_WIDTH, max(200, self.column.width() - 32))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        self.setGeometry(self.column.width() - width - 24, max(8, self.column.height() - height - 16), width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.column and event.type() == QEvent.Type.Resize:
            self._place()
        return False


class ReturnNoteBar(QFrame):
    """Above the text of a returned draft: the editor's note, until the reporter submits again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnNoteBar")
        self.setAccessibleName("Returned by an editor")
        theme.style(self, lambda colours: f"#returnNoteBar {{ background: {colours.returned_paper};"
                                          f" border-bottom: 1px solid {colours.returned_rule}; }}")
        self.label = QLabel(self)
        self.label.setObjectName("returnNote")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        self.hide()

    def show_for(self, record: StoryRecord | None) -> None:
        if record is None or record.status != Status.DRAFT or not record.return_note:
            self.hide()
            return
        self.label.setText(f"<b>Returned:</b> {_escape(record.return_note)}<br><small>Make the changes, then submit it again.</small>")
        self.setAccessibleDescription(f"Returned: {record.return_note}")
        self.show()


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


class Notices(QObject):
    """Turns the store's changes into notices for the signed-in person; shows the return note of the open story."""

    shown = Signal(object)
    """A notice was shown (its `core.services.notices.Notice`)."""

    def __init__(self, window: NoticesHost, live: LiveUpdates) -> None:
        super().__init__(window.widget)
        self.window = window
        column = window.conflict_bar.parentWidget()
        assert column is not None
        self.area = NoticeArea(column)
        self.bar = ReturnNoteBar(column)
        layout = column.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(window.conflict_bar) + 1, self.bar)
        self._service: StoryService | None = None
        self._since: int | None = None
        self._seen: set[int] = set()
        self._start = Worker(self)
        self._reader = Worker(self)
        self._start.succeeded.connect(self._started)
        self._reader.succeeded.connect(self._arrived)
        self._waiting: set[int] = set()
        window.service_attached.connect(self._attached)
        live.stories_changed.connect(self.check)
        window.session.story_opened.connect(self.bar.show_for)
        window.session.story_saved.connect(self.bar.show_for)
        if window.session.service is not None:
            self._attached(window.session.service)
            self.bar.show_for(window.session.record)

    def _attached(self, service: StoryService) -> None:
        from newsdesk.core.services.notices import latest_event_id
        from newsdesk.ui.common.store_calls import on_store

        self._service, self._since, self._seen = service, None, set()
        self._start.start(lambda _job: on_store(lambda: latest_event_id(service.store), service.store))

    def _started(self, since: int) -> None:
        self._since = since
        self._read_waiting()

    def check(self, ids: frozenset[int] | None) -> None:
        """Stories changed: look for news about them (None: any story) on a worker."""
        self._waiting |= ids if ids is not None else {-1}
        self._read_waiting()

    def _read_waiting(self) -> None:
        service, since = self._service, self._since
        if service is None or since is None or self._reader.running or not self._waiting:
            return
        from newsdesk.core.services.notices import notices_for
        from newsdesk.ui.common.store_calls import on_store

        ids = None if -1 in self._waiting else tuple(self._waiting)
        self._waiting = set()
        record = self.window.session.record
        holding = record.id if record is not None else None
        def read(_job: object) -> list[Notice]:
            return on_store(lambda: notices_for(service.store, service.actor, ids, since, holding=holding), service.store)

        self._reader.start(read)

    def _arrived(self, found: list[Notice]) -> None:
        for notice in found:
            if notice.event_id in self._seen:
                continue
            self._seen.add(notice.event_id)
            card = NoticeCard(notice, self.area)
            card.opened.connect(self.window.open_story)
            self.area.add(card)
            self.window.statusBar().showMessage(notice.text, 10000)
            log.info("Notice: %s", notice.text)
            self.shown.emit(notice)
        self._read_waiting()


def install_notices(window: NoticesHost) -> Notices:
    """Notices and the return-note bar for `window` (and its live updates, if not yet installed); safe to call twice."""
    existing = window.widget.findChild(Notices)
    if isinstance(existing, Notices):
        return existing
    return Notices(window, install_live(window))
