"""Changing a published story in the window: ask first what kind of change it is, then publish it as that.

The first change an editor makes to a published story (in the text or any
field) asks: Correction, Update, or Fix a Typo (no notice); Cancel puts the
story back as stored. The answer is kept for the story while the window is
open, so Story ▸ Workflow ▸ Publish Correction… publishes the change as what it
was said to be: a notice whose text it asks for, or a typo fix with no notice.
Until then the site keeps the published copy (core: `export.catalogue`), so the
change is saved but not live. Only editors get here: core refuses a reporter's
edits to a published story before any prompt would matter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from newsdesk.core.rules.corrections import LABELS, Kind
from newsdesk.core.rules.domain import Status

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)

FIX = "fix"
"""The answer for a typo fixed: published with no notice."""
CHOICES: tuple[tuple[Kind | str, str], ...] = ((Kind.CORRECTION, "&Correction"), (Kind.UPDATE, "&Update"), (FIX, "&Fix a Typo"))
"""The prompt's buttons, in order: what the change is, and its button's text."""
Choice = Kind | str


class PublishedEdits(QObject):
    """Keeps, per published story, what kind of change the editor said they are making."""

    def __init__(self, session: StorySession, parent: QWidget, reopen: Callable[[int], object]) -> None:
        super().__init__(parent)
        self.setObjectName("publishedEdits")
        self.session = session
        self.parent_widget = parent
        self.reopen = reopen
        self.choices: dict[int, Choice] = {}
        session.edit_guard = self.allow
        session.edit_declined.connect(self._put_back)

    def allow(self, record: StoryRecord) -> bool:
        """Whether a first change to `record` may go ahead: asks what kind of change it is, once per published story."""
        service = self.session.service
        if record.status != Status.PUBLISHED or service is None or not service.actor.is_editor or record.id in self.choices:
            return True
        choice = self.ask_kind(record)
        if choice is None:
            return False
        self.choices[record.id] = choice
        log.info("Changing published story %s as %s", record.id, choice)
        return True

    def ask_kind(self, record: StoryRecord) -> Choice | None:
        """The prompt: which kind of change this is (None: cancelled)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Change a Published Story",
                          f"“{record.headline}” is published. What kind of change is this?",
                          QMessageBox.StandardButton.Cancel, self.parent_widget)
        box.setObjectName("publishedChangeKind")
        box.setInformativeText("The page on the site stays as it is until you publish the change "
                               "(Story ▸ Workflow ▸ Publish Correction…). A correction or an update is shown to readers "
                               "with a note; a typo fix is not.")
        buttons = [(box.addButton(text, QMessageBox.ButtonRole.AcceptRole), choice) for choice, text in CHOICES]
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return next((choice for button, choice in buttons if button is box.clickedButton()), None)

    def notice_for(self, record: StoryRecord) -> tuple[Kind | None, str] | None:
        """What Publish Correction… publishes: the kind (None: a typo fix) and the notice's text; None if cancelled."""
        choice = self.choices.get(record.id) or self.ask_kind(record)
        if choice is None:
            return None
        if choice == FIX:
            return None, ""
        kind = Kind(choice)
        text, accepted = QInputDialog.getMultiLineText(
            self.parent_widget, f"Publish {LABELS[kind]}", f"“{record.headline}”\n\n{LABELS[kind]} shown on the page (required):")
        return (kind, text) if accepted else None

    def published(self, story_id: int) -> None:
        """The change went out: the next change to the story asks again."""
        self.choices.pop(story_id, None)

    def _put_back(self, story_id: int) -> None:
        """Cancelled: reopen the story so every field shows what is stored (after the widget's own signal returns)."""
        QTimer.singleShot(0, lambda: self.reopen(story_id))
