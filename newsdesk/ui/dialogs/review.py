"""The editor's review: the queue of submitted stories, what changed word by word, Approve and Return, comments.

The review view reads like the copy desk works. A first submission shows the
whole copy with its metadata, rendered as the page will read; Edit in Place
turns it into its headline and Markdown text to change there (saved through
`perform` at the version on show), and Open in Editor opens it in the window. A resubmission compares the story
"since it was returned" (the revision the return left) with the story as it
stands, with the return notes and the comments beside the diff; any two
revisions can be compared on request, headline and metadata changes listed
before the body, a status change as "draft → submitted". The diff,
the rules for approving and returning (a note is required) and the comments all
come from core (`revisions.compare`, `StoryService.transition`, `comments`);
this module only shows them. Transitions go through `perform`, which the window
points at its StorySession when the story is the one open in the editor, so
pending typing is saved first and nothing is overwritten.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.rules import workflow
from newsdesk.core.rules.domain import Status
from newsdesk.ui.common import theme

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.rules.diff import FieldChange
    from newsdesk.core.services.revisions import RevisionRecord
    from newsdesk.core.services.stories import StoryService

log = logging.getLogger(__name__)

Operation = Callable[["StoryService", int], "StoryRecord"]
Perform = Callable[[int, int, Operation], "StoryRecord | None"]
"""perform(story_id, version shown, operation): run a workflow step, returning the new record or None if refused elsewhere."""
QUEUE_LIMIT = 500
WHOLE_COPY = "copy"
"""The "compare from" choice that shows the whole copy of the other side instead of a diff."""
RETURN_REASON = "return"
NOTED_ACTIONS = frozenset({"return", "kill", "correct", "break_lock", "approve", "submit"})
"""Workflow events whose notes are shown beside the diff (an empty note is left out)."""
ARROW_FIELDS = frozenset({"status"})
"""Fields shown as "old → new" rather than word by word."""


def _deleted() -> str:
    colours = theme.current()
    return f"background-color:{colours.deleted_paper}; color:{colours.deleted_ink}; text-decoration:line-through;"


def _inserted() -> str:
    colours = theme.current()
    return f"background-color:{colours.inserted_paper}; color:{colours.inserted_ink}; text-decoration:underline;"


def changes_html(changes: tuple[FieldChange, ...] | list[FieldChange]) -> str:
    """The changed fields as HTML, removals struck through in red and additions underlined in green."""
    from newsdesk.core.rules.diff import Op

    if not changes:
        return "<p><i>No changes between these versions.</i></p>"
    parts: list[str] = []
    for change in changes:
        if change.name in ARROW_FIELDS:
            parts.append(f"<h3>{html.escape(change.label)}</h3><p>{html.escape(change.old or '—')} → {html.escape(change.new or '—')}</p>")
            continue
        counts = f" <small>(+{change.words_added} −{change.words_removed} words)</small>" if change.name == "body" else ""
        parts.append(f"<h3>{html.escape(change.label)}{counts}</h3><p>")
        for piece in change.pieces:
            text = html.escape(piece.text).replace("\n", "<br>")
            if piece.op is Op.DELETE:
                parts.append(f'<del style="{_deleted()}" title="removed">{text}</del>')
            elif piece.op is Op.INSERT:
                parts.append(f'<ins style="{_inserted()}" title="added">{text}</ins>')
            else:
                parts.append(text)
        parts.append("</p>")
    return "".join(parts)


def copy_html(snapshot: dict[str, Any]) -> str:
    """A version of the story as its reader will have it: headline, dek, byline, the facts a desk checks, then the body
    rendered by the one renderer (so what the editor reads is what the web gets)."""
    from newsdesk.core.rules.dateline import Dateline
    from newsdesk.core.rules.render import render_body

    def text(name: str) -> str:
        return html.escape(str(snapshot.get(name) or ""))

    parts = [f"<h1>{text('headline')}</h1>"]
    if snapshot.get("subheadline"):
        parts.append(f"<p><i>{text('subheadline')}</i></p>")
    if snapshot.get("byline"):
        parts.append(f"<p><b>By {text('byline')}</b></p>")
    facts = [
        ("Slug", text("slug")),
        ("Sections", html.escape(" · ".join(snapshot.get("sections") or [])) or "<i>none</i>"),
        ("Keywords", html.escape(", ".join(snapshot.get("keywords") or [])) or "<i>none</i>"),
        ("Summary", text("summary") or "<i>none</i>"),
        ("Embargo", text("embargo") or "none"),
    ]
    if snapshot.get("tagline"):
        facts.append(("Tagline", text("tagline")))
    links = snapshot.get("links") or []
    if links:
        facts.append(("Related", html.escape(" · ".join(str(link.get("title") or link.get("url") or "") for link in links))))
    muted = theme.current().muted
    rows = "".join(f'<tr><td style="color:{muted}; padding-right:12px;">{name}</td><td>{value}</td></tr>' for name, value in facts)
    parts.append(f'<table cellspacing="0" cellpadding="2">{rows}</table><hr>')
    day = snapshot.get("dateline_date")
    dateline = Dateline(str(snapshot.get("dateline_place") or ""), str(snapshot.get("dateline_credit") or ""),
                        date.fromisoformat(day) if day else None).format()
    parts.append(render_body(str(snapshot.get("body") or ""), dateline=dateline))
    return "".join(parts)


def _note_html(title: str, who: str | None, when: datetime, text: str, *, highlight: bool = False) -> str:
    """One entry of the notes beside the diff: a workflow note (highlighted) or a comment, with who and when."""
    style = f' style="background:{theme.current().caution_paper};"' if highlight else ""
    by = f" · {html.escape(who)}" if who else ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p{style}><b>{html.escape(title)}</b>{by} · {when.astimezone():%d %b %H:%M}<br>{body}</p>"


class ReviewView(QWidget):
    """One story under review: the two versions compared, the diff, comments, Approve and Return.

    `reviewed(record)` fires after a story was approved or returned from here.
    """

    reviewed = Signal(object)

    def __init__(self, service: StoryService, perform: Perform | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.service = service
        self._perform = perform
        self.story: StoryRecord | None = None
        self.returned: RevisionRecord | None = None
        """The revision the story's last return left, when it was returned: the baseline of a resubmission."""
        self._loading = False

        self.title = QLabel(self)
        self.title.setObjectName("reviewTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.old = QComboBox(self)
        self.old.setObjectName("reviewOld")
        self.old.setAccessibleName("Compare from")
        self.new = QComboBox(self)
        self.new.setObjectName("reviewNew")
        self.new.setAccessibleName("Compare to")
        self.diff = QTextBrowser(self)
        self.diff.setObjectName("reviewDiff")
        self.diff.setAccessibleName("Changes")
        self.comments = QTextBrowser(self)
        self.comments.setObjectName("reviewComments")
        self.comments.setAccessibleName("Return notes and comments")
        self.comment_box = QPlainTextEdit(self)
        self.comment_box.setObjectName("reviewCommentBox")
        self.comment_box.setAccessibleName("New comment")
        self.comment_box.setPlaceholderText("Comment for the reporter…")
        self.comment_box.setMaximumHeight(60)
        self.comment_button = QPushButton("Add &Comment", self)
        self.comment_button.setObjectName("reviewAddComment")
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("reviewNote")
        self.note.setAccessibleName("Note to the reporter")
        self.note.setPlaceholderText("Note to the reporter (needed to return the story)…")
        self.note.setMaximumHeight(60)
        self.approve_button = QPushButton("&Approve", self)
        self.approve_button.setObjectName("reviewApprove")
        self.return_button = QPushButton("&Return to Reporter", self)
        self.return_button.setObjectName("reviewReturn")
        self.message = QLabel(self)
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)

        compare = QHBoxLayout()
        compare.addWidget(QLabel("Compare", self))
        compare.addWidget(self.old, 1)
        compare.addWidget(QLabel("with", self))
        compare.addWidget(self.new, 1)
        comment_row = QVBoxLayout()
        comment_row.addWidget(self.comment_box)
        comment_row.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignRight)
        decide = QHBoxLayout()
        decide.addWidget(self.note, 1)
        decide.addWidget(self.return_button)
        decide.addWidget(self.approve_button)
        notes = QWidget(self)
        notes_layout = QVBoxLayout(notes)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(QLabel("<b>Notes and comments</b>", self))
        notes_layout.addWidget(self.comments, 1)
        notes_layout.addLayout(comment_row)
        self.headline_edit = QLineEdit(self)
        self.headline_edit.setObjectName("reviewHeadlineEdit")
        self.headline_edit.setAccessibleName("Headline")
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("reviewBodyEdit")
        self.body_edit.setAccessibleName("Story text (Markdown)")
        self.body_edit.setTabChangesFocus(True)
        editing = QWidget(self)
        editing_layout = QVBoxLayout(editing)
        editing_layout.setContentsMargins(0, 0, 0, 0)
        editing_layout.addWidget(self.headline_edit)
        editing_layout.addWidget(self.body_edit, 1)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("reviewPages")
        self.pages.addWidget(self.diff)
        self.pages.addWidget(editing)
        self.edit_button = QPushButton("&Edit in Place", self)
        self.edit_button.setObjectName("reviewEdit")
        self.edit_button.setCheckable(True)
        self.edit_button.setToolTip("Change the headline and text here; Save Changes writes them (your edits are a revision)")
        self.save_button = QPushButton("&Save Changes", self)
        self.save_button.setObjectName("reviewSave")
        compare.addWidget(self.edit_button)
        compare.addWidget(self.save_button)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("reviewSplit")
        split.addWidget(self.pages)
        split.addWidget(notes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 240])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(compare)
        layout.addWidget(split, 1)
        layout.addLayout(decide)
        layout.addWidget(self.message)

        self.old.currentIndexChanged.connect(self._compare)
        self.new.currentIndexChanged.connect(self._compare)
        self.note.textChanged.connect(self._update_buttons)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_to_reporter)
        self.comment_button.clicked.connect(self.add_comment)
        self.edit_button.toggled.connect(self._edit_toggled)
        self.save_button.clicked.connect(self.save_edits)
        self.show_story(None)

    def show_story(self, story_id: int | None) -> None:
        """Show `story_id`: the whole copy if it was never returned, else what changed since it was (or nothing)."""
        from newsdesk.core.services import revisions

        self.edit_button.setChecked(False)
        self.message.clear()
        self.note.clear()
        self.story = None if story_id is None else self.service.get(story_id, events=True)
        self.returned = None
        self._loading = True
        try:
            self.old.clear()
            self.new.clear()
            if self.story is not None:
                rows = revisions.history(self.service.store, self.story.id)
                self.old.addItem("The whole copy (no comparison)", WHOLE_COPY)
                for row in rows:
                    label = f"{row.number} · {row.reason} · {row.user_name or row.user or '—'} · {row.created_at.astimezone():%d %b %H:%M}"
                    if row.reason == RETURN_REASON:
                        label += " · as returned"
                    self.old.addItem(label, row.number)
                    self.new.addItem(label, row.number)
                self.new.addItem("Current", revisions.CURRENT)
                self.returned = next((row for row in reversed(rows) if row.reason == RETURN_REASON), None)
                baseline = self.returned.number if self.returned else WHOLE_COPY
                self.old.setCurrentIndex(max(self.old.findData(baseline), 0))
                self.new.setCurrentIndex(self.new.count() - 1)
        finally:
            self._loading = False
        self._show_title()
        self._compare()
        self._show_comments()
        self._update_buttons()

    def compare(self, old: int | str, new: int | str) -> None:
        """Compare two revisions (numbers, or "current") by choosing them in the combo boxes."""
        self.old.setCurrentIndex(self.old.findData(old))
        self.new.setCurrentIndex(self.new.findData(new))

    def _show_title(self) -> None:
        story = self.story
        if story is None:
            self.title.setText("<i>Pick a story from the queue.</i>")
            return
        facts = [f"By {html.escape(story.byline)}" if story.byline else "No byline", f"filed by {html.escape(story.owner or '—')}"]
        if story.status != Status.SUBMITTED:
            facts.append(html.escape(story.status))
        if story.submitted_at:
            facts.append(f"submitted {story.submitted_at.astimezone():%d %b %H:%M}")
        facts.append(f"{story.word_count:,} words")
        if self.returned is not None:
            who = html.escape(self.returned.user_name or self.returned.user or "an editor")
            reading = f"Resubmitted: the changes since {who} returned it on {self.returned.created_at.astimezone():%d %b %H:%M}"
        else:
            reading = "First submission: the whole copy, as the page will read"
        self.title.setText(f"<h2>{html.escape(story.headline)}</h2><p>{' · '.join(facts)}</p><p><b>{reading}</b></p>")

    def _compare(self) -> None:
        from newsdesk.core.services import revisions

        if self._loading:
            return
        if self.story is None or self.old.currentIndex() < 0 or self.new.currentIndex() < 0:
            self.diff.setHtml("")
            return
        if self.old.currentData() == WHOLE_COPY:
            which = self.new.currentData()
            side = revisions.snapshot_of_record(self.story) if which == revisions.CURRENT else revisions.get(
                self.service.store, self.story.id, int(which)).snapshot
            self.diff.setHtml(copy_html(side))
            self.diff.setToolTip(f"The whole copy: {self.new.currentText()}")
            return
        comparison = revisions.compare(self.service, self.story.id, self.old.currentData(), self.new.currentData())
        self.diff.setHtml(changes_html(comparison.changes))
        self.diff.setToolTip(f"{comparison.old_label} → {comparison.new_label}")

    def _show_comments(self) -> None:
        from newsdesk.core.services import comments

        if self.story is None:
            self.comments.setHtml("")
            return
        entries: list[tuple[Any, str]] = [
            (event.created_at, _note_html(f"{event.action.replace('_', ' ').capitalize()} note", event.user, event.created_at, event.note,
                                          highlight=True))
            for event in self.story.events if event.action in NOTED_ACTIONS and event.note.strip()
        ]
        entries += [
            (row.created_at, _note_html(row.user_name or row.user or "Someone", None, row.created_at, row.body))
            for row in comments.for_story(self.service.store, self.story.id)
        ]
        entries.sort(key=lambda entry: entry[0])
        self.comments.setHtml("".join(text for _, text in entries) or "<p><i>No notes or comments yet.</i></p>")

    def _update_buttons(self) -> None:
        from newsdesk.core.rules.workflow import Action, available

        story = self.story
        if story is None:
            possible: set[Any] = set()
        else:
            possible = {
                t.action for t in available(Status(story.status), self.service.actor.role, story.owner == self.service.actor.username)
            }
        self.approve_button.setEnabled(Action.APPROVE in possible)
        self.return_button.setEnabled(Action.RETURN in possible and bool(self.note.toPlainText().strip()))
        self.return_button.setToolTip("" if self.note.toPlainText().strip() else "Write a note for the reporter first.")
        self.comment_button.setEnabled(story is not None)
        self.note.setEnabled(Action.RETURN in possible)
        editable = story is not None and workflow.edit_refusal(
            Status(story.status), self.service.actor.role, story.owner == self.service.actor.username) is None
        self.edit_button.setEnabled(editable)
        self.save_button.setVisible(self.edit_button.isChecked())

    def _edit_toggled(self, on: bool) -> None:
        """Edit in place: the copy becomes its headline and Markdown text, to change before approving."""
        if on and self.story is not None:
            self.headline_edit.setText(self.story.headline)
            self.body_edit.setPlainText(self.story.body)
        self.pages.setCurrentIndex(1 if on else 0)
        self.save_button.setVisible(on)
        if on:
            self.body_edit.setFocus()

    def save_edits(self) -> StoryRecord | None:
        """Write the headline and text edited in place, at the version on show (a newer save elsewhere is never overwritten)."""
        from newsdesk.core.errors import NewsdeskError

        story = self.story
        if story is None:
            return None
        changes = {"headline": self.headline_edit.text(), "body": self.body_edit.toPlainText()}

        def operation(service: StoryService, version: int) -> StoryRecord:
            return service.update(story.id, changes, expected_version=version, reason="save", note="Edited in review")

        try:
            record = self._perform(story.id, story.version, operation) if self._perform else operation(self.service, story.version)
        except NewsdeskError as error:
            self.message.setText(error.message)
            return None
        if record is None:
            self.message.setText("The changes could not be saved; see the status bar.")
            return None
        self.edit_button.setChecked(False)
        self.show_story(record.id)
        self.message.setText("Saved your changes as a revision.")
        return record

    def approve(self) -> None:
        from newsdesk.core.rules.workflow import Action

        self._transition(Action.APPROVE, self.note.toPlainText())

    def return_to_reporter(self) -> None:
        from newsdesk.core.rules.workflow import Action

        self._transition(Action.RETURN, self.note.toPlainText())

    def _transition(self, action: Any, note: str) -> None:
        from newsdesk.core.errors import NewsdeskError

        story = self.story
        if story is None:
            return

        def operation(service: StoryService, version: int) -> StoryRecord:
            return service.transition(story.id, action, note.strip(), expected_version=version)

        try:
            record = self._perform(story.id, story.version, operation) if self._perform else operation(self.service, story.version)
        except NewsdeskError as error:
            self.message.setText(error.message)
            return
        if record is None:
            self.message.setText("The story could not be changed; see the status bar.")
            return
        log.info("%s %s story %s", self.service.actor.username, action.value, story.id)
        self.show_story(record.id)
        self.reviewed.emit(record)

    def add_comment(self) -> None:
        from newsdesk.core.errors import InvalidField
        from newsdesk.core.services import comments

        if self.story is None:
            return
        try:
            comments.add(self.service.store, self.service.actor, self.story.id, self.comment_box.toPlainText())
        except InvalidField as error:
            self.message.setText(error.message)
            return
        self.comment_box.clear()
        self.message.clear()
        self._show_comments()


class ReviewWindow(QWidget):
    """The review desk: submitted stories on the left, the one picked under review on the right.

    It closes with its Close button, Esc or Ctrl+W.
    """

    open_requested = Signal(int)

    def __init__(self, service: StoryService, perform: Perform | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Review")
        self.service = service
        self.queue = QListWidget(self)
        self.queue.setObjectName("reviewQueue")
        self.queue.setAccessibleName("Stories waiting for review")
        self.queue.setSpacing(4)
        self.queue.setAlternatingRowColors(True)
        self.refresh_button = QPushButton("Re&fresh", self)
        self.open_button = QPushButton("&Open in Editor", self)
        self.open_button.setObjectName("reviewOpen")
        self.open_button.setToolTip("Edit the story in the window (the review follows what you change)")
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("reviewClose")
        self.close_button.setToolTip("Close the review (Esc, Ctrl+W)")
        self.view = ReviewView(service, perform, self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.queue_label = QLabel(self)
        left_layout.addWidget(self.queue_label)
        left_layout.addWidget(self.queue, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.open_button)
        left_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setSizes([330, 770])
        self.status = QLabel(self)
        self.status.setObjectName("reviewStatus")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(1150, 760)
        self.close_button.clicked.connect(self.close)
        for key in ("Escape", "Ctrl+W"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setObjectName(f"reviewClose{key.replace('+', '')}")
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.close)

        self.queue.currentItemChanged.connect(self._picked)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._open)
        self.queue.itemActivated.connect(lambda _item: self._open())
        self.view.reviewed.connect(self._reviewed)
        self.refresh()

    def refresh(self) -> None:
        """Reload the queue: submitted stories, the least recently touched first (those waiting longest for a look)."""
        from newsdesk.core.records import BudgetQuery

        current = self.current_story()
        page = self.service.budget(BudgetQuery(status=Status.SUBMITTED, limit=QUEUE_LIMIT, newest_first=False))
        self.queue.blockSignals(True)
        self.queue.clear()
        for row in page.rows:
            item = QListWidgetItem(
                f"{row.headline}\n{row.byline or 'no byline'} · {row.section or 'no section'} · {row.updated_at.astimezone():%d %b %H:%M}"
            )
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(f"{row.slug} · {row.word_count:,} words")
            self.queue.addItem(item)
        wanted = next((i for i in range(self.queue.count()) if self.queue.item(i).data(Qt.ItemDataRole.UserRole) == current), 0)
        if self.queue.count():
            self.queue.setCurrentRow(wanted)
        self.queue.blockSignals(False)
        self.queue_label.setText(f"<b>Waiting for review</b> ({page.total_label})")
        self._picked(self.queue.currentItem(), None)

    def current_story(self) -> int | None:
        item = self.queue.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _picked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.view.show_story(None if item is None else int(item.data(Qt.ItemDataRole.UserRole)))

    def _reviewed(self, record: StoryRecord) -> None:
        self.refresh()
        self.status.setText(f"“{record.headline}” is now {record.status}.")

    def _open(self) -> None:
        story = self.current_story()
        if story is not None:
            self.open_requested.emit(story)
