"""The history dock: the open story's revisions (who, when, why), the word diff of any two, restore, and its comments.

The history and the comment thread are read off the UI thread (one `Worker`
each load, a newer load dropping an older one's result), and so is each diff,
so a story with hundreds of revisions never stalls typing. Picking one revision
shows what it changed from the one before; picking two shows what changed
between them. Restore brings a revision's words and metadata back as a new
revision (core's `StoryService.restore`; nothing is deleted) after a question
naming the revision and the story, and goes through the StorySession, so
typing not yet saved is saved first and a stale copy is never written.
Adding a comment is one short write, made at once.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdesk.ui.common.store_calls import on_store
from newsdesk.ui.common.workers import Job, Worker

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.comments import CommentRecord
    from newsdesk.core.services.revisions import Comparison, RevisionRecord
    from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

COLUMNS = ("#", "Why", "Who", "When")


@dataclass(frozen=True)
class Loaded:
    """What one history load read: the story's revisions, oldest first, and its comments."""

    story_id: int
    revisions: list[RevisionRecord]
    comments: list[CommentRecord]


class HistoryPane(QWidget):
    """The revisions list over the diff, the comment thread below; follows the session's open story.

    `loaded(story_id)` fires when a history load has been shown, `compared()` when a diff has,
    `restored(record)` after a restore the store accepted.
    """

    loaded = Signal(int)
    compared = Signal()
    restored = Signal(object)

    def __init__(self, session: StorySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPane")
        self.setAccessibleName("History and comments")
        self.session = session
        self.story_id: int | None = None
        self._revisions: list[RevisionRecord] = []
        self._loader = Worker(self)
        self._differ = Worker(self)

        self.revisions = QTreeWidget(self)
        self.revisions.setObjectName("historyRevisions")
        self.revisions.setAccessibleName("Revisions: pick one to see what it changed, two to compare them")
        self.revisions.setHeaderLabels(list(COLUMNS))
        self.revisions.setRootIsDecorated(False)
        self.revisions.setAlternatingRowColors(True)
        self.revisions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.revisions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for column, width in enumerate((34, 70, 90)):
            self.revisions.setColumnWidth(column, width)
        self.diff = QTextBrowser(self)
        self.diff.setObjectName("historyDiff")
        self.diff.setAccessibleName("What changed")
        self.restore_button = QPushButton("&Restore This Version…", self)
        self.restore_button.setObjectName("historyRestore")
        self.restore_button.setToolTip("Bring back this revision's words and metadata as a new revision (nothing is lost)")
        self.message = QLabel(self)
        self.message.setObjectName("historyMessage")
        self.message.setWordWrap(True)
        self.comments = QTextBrowser(self)
        self.comments.setObjectName("historyComments")
        self.comments.setAccessibleName("Comments")
        self.comment_box = QPlainTextEdit(self)
        self.comment_box.setObjectName("historyCommentBox")
        self.comment_box.setAccessibleName("New comment")
        self.comment_box.setPlaceholderText("Add to the thread…")
        self.comment_box.setTabChangesFocus(True)
        self.comment_box.setMaximumHeight(56)
        self.comment_button = QPushButton("Add &Comment", self)
        self.comment_button.setObjectName("historyAddComment")

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.revisions, 2)
        top_layout.addWidget(self.diff, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.restore_button)
        top_layout.addLayout(buttons)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("<b>Comments</b>", self))
        bottom_layout.addWidget(self.comments, 1)
        bottom_layout.addWidget(self.comment_box)
        bottom_layout.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([460, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self._loader.succeeded.connect(self._show_loaded)
        self._loader.failed.connect(self.message.setText)
        self._differ.succeeded.connect(self._show_diff)
        self._differ.failed.connect(self.message.setText)
        self.revisions.itemSelectionChanged.connect(self._selection_changed)
        self.restore_button.clicked.connect(self.restore_selected)
        self.comment_button.clicked.connect(self.add_comment)
        session.story_opened.connect(self._story_opened)
        session.story_saved.connect(self._story_saved)
        self._update_buttons()

    def _story_opened(self, record: StoryRecord) -> None:
        self.story_id = record.id
        self.revisions.clear()
        self.diff.clear()
        self.message.clear()
        self.reload()

    def _story_saved(self, record: StoryRecord) -> None:
        if record.id == self.story_id:
            self.reload()

    def reload(self) -> None:
        """Read the open story's revisions and comments again, on the worker."""
        service = self.session.service
        story_id = self.story_id
        if service is None or story_id is None:
            return

        def load(_job: Job) -> Loaded:
            from newsdesk.core.services import comments, revisions

            store = service.store
            return on_store(lambda: Loaded(story_id, revisions.history(store, story_id), comments.for_story(store, story_id)), store)

        self._loader.start(load)

    def _show_loaded(self, result: object) -> None:
        assert isinstance(result, Loaded)
        if result.story_id != self.story_id:
            return
        chosen = set(self.selected_numbers())
        self._revisions = result.revisions
        self.revisions.blockSignals(True)
        self.revisions.clear()
        for revision in reversed(result.revisions):
            who = revision.user_name or revision.user or "—"
            item = QTreeWidgetItem([str(revision.number), revision.reason, who, f"{revision.created_at.astimezone():%d %b %H:%M}"])
            item.setData(0, Qt.ItemDataRole.UserRole, revision.number)
            item.setToolTip(1, revision.note or revision.reason)
            self.revisions.addTopLevelItem(item)
            item.setSelected(revision.number in chosen)
        self.revisions.blockSignals(False)
        self.comments.setHtml("".join(
            f"<p><b>{html.escape(row.user_name or row.user or 'Someone')}</b> · {row.created_at.astimezone():%d %b %H:%M}<br>"
            f"{html.escape(row.body).replace(chr(10), '<br>')}</p>"
            for row in result.comments
        ) or "<p><i>No comments yet.</i></p>")
        self._update_buttons()
        self.loaded.emit(result.story_id)

    def selected_numbers(self) -> list[int]:
        """The revision numbers picked, oldest first."""
        return sorted(int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.revisions.selectedItems())

    def select(self, *numbers: int) -> None:
        """Pick revisions by number (one: what it changed; two: between them)."""
        self.revisions.blockSignals(True)
        for index in range(self.revisions.topLevelItemCount()):
            item = self.revisions.topLevelItem(index)
            if item is not None:
                item.setSelected(int(item.data(0, Qt.ItemDataRole.UserRole)) in numbers)
        self.revisions.blockSignals(False)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self._update_buttons()
        numbers = self.selected_numbers()
        service = self.session.service
        story_id = self.story_id
        if service is None or story_id is None or not numbers:
            self.diff.clear()
            return
        if len(numbers) == 1:
            earlier = [r.number for r in self._revisions if r.number < numbers[0]]
            old, new = (earlier[-1] if earlier else numbers[0]), numbers[0]
        else:
            old, new = numbers[0], numbers[-1]

        def compare(_job: Job) -> Comparison:
            from newsdesk.core.services import revisions

            return on_store(lambda: revisions.compare(service, story_id, old, new), service.store)

        self.message.setText(f"Revision {new}: what it changed from {old}." if len(numbers) == 1 and old != new
                             else f"Revisions {old} and {new} compared.")
        self._differ.start(compare)

    def _show_diff(self, comparison: object) -> None:
        from newsdesk.ui.dialogs.review import changes_html

        if getattr(comparison, "story_id", None) != self.story_id:
            return
        self.diff.setHtml(changes_html(comparison.changes))  # type: ignore[attr-defined]
        self.compared.emit()

    def _update_buttons(self) -> None:
        numbers = self.selected_numbers()
        self.restore_button.setEnabled(len(numbers) == 1 and self.story_id is not None)
        self.comment_button.setEnabled(self.story_id is not None)

    def restore_selected(self) -> StoryRecord | None:
        """Restore the one revision picked, once the person has said yes to a question naming it and the story."""
        from PySide6.QtWidgets import QMessageBox

        numbers = self.selected_numbers()
        record = self.session.record
        if len(numbers) != 1 or record is None:
            return None
        number = numbers[0]
        revision = next((r for r in self._revisions if r.number == number), None)
        when = f" ({revision.reason}, {revision.user_name or revision.user or 'unknown'}, {revision.created_at.astimezone():%d %b %H:%M})" \
            if revision else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Restore Version", f"Restore revision {number} of “{record.headline}”?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmRestore")
        box.setInformativeText(f"Revision {number}{when} becomes the story's text and metadata again, as a new revision; "
                               "the current version stays in the history. The slug and status do not change.")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not restore:
            self.message.setText("Nothing restored.")
            return None
        story_id = record.id
        result = self.session.run(lambda service, version: service.restore(story_id, number, expected_version=version))
        if result is None:
            self.message.setText("The store refused the restore; the status bar says why.")
            return None
        log.info("Restored revision %s of story %s", number, story_id)
        self.session.open(story_id)
        self.message.setText(f"Restored revision {number}, kept as a new revision; the version before stays in the history.")
        self.restored.emit(result)
        return result

    def add_comment(self) -> None:
        from newsdesk.core.errors import NewsdeskError
        from newsdesk.core.services import comments

        service = self.session.service
        story_id = self.story_id
        if service is None or story_id is None:
            return
        try:
            on_store(lambda: comments.add(service.store, service.actor, story_id, self.comment_box.toPlainText()), service.store)
        except NewsdeskError as error:
            self.message.setText(error.message)
            return
        self.comment_box.clear()
        self.message.setText("Comment added.")
        self.reload()
