"""The skeleton the story docks share: follow the open story, ignore saves of others, turn read-only when refused.

The metadata and links panels show the session's open story and send every
change through the StorySession; neither writes to the store. `StoryPanel` wires
a panel to the session (`story_opened`, `story_saved`, `save_failed`), keeps
the story on show, and after each open and each save asks the session once
whether the signed-in person may change it: a refusal turns the panel
read-only and becomes its tooltip, and core's short notice (`edit_notice`:
"Submitted — read-only until an editor returns it") goes to `show_notice`. A save of another story (late, after a
switch) is ignored. The panel is disabled until the first story opens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.ui.editor.story_session import StorySession

log = logging.getLogger(__name__)


class StoryPanel(QWidget):
    """A dock's contents built on the window's StorySession; subclasses fill in `_fill`, `_set_editable` and the rest."""

    def __init__(self, session: StorySession, name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.session = session
        self._record: StoryRecord | None = None
        self._editable = True
        session.story_opened.connect(self.show_story)
        session.story_saved.connect(self._story_saved)
        session.save_failed.connect(self._save_failed)
        self.setEnabled(False)

    @property
    def story_id(self) -> int | None:
        return None if self._record is None else self._record.id

    @property
    def editable(self) -> bool:
        """False while the signed-in person may not change the story on show."""
        return self._editable

    def show_story(self, record: StoryRecord) -> None:
        """Show `record`, the story just opened, and whether it may be changed."""
        self._record = record
        self._fill(record)
        self._apply_permissions(record)
        self.setEnabled(True)

    def _story_saved(self, record: StoryRecord) -> None:
        """A save or workflow step of the open story: its fields, and who may change them, may have changed."""
        if self._record is None or record.id != self._record.id:
            log.debug("Ignoring a save of story %s; story %s is open", record.id, self.story_id)
            return
        self._record = record
        self._refresh(record)
        self._apply_permissions(record)

    def _apply_permissions(self, record: StoryRecord) -> None:
        refusal = self.session.edit_refusal(record)
        self._editable = refusal is None
        self._set_editable(self._editable)
        self.setToolTip(refusal or "")
        self.show_notice(self.session.edit_notice(record))

    def show_notice(self, text: str | None) -> None:
        """Say above the fields why they are read-only (or what editing means); panels without room for it ignore it."""

    def _save_failed(self, name: str, message: str) -> None:
        if self._record is not None:
            self._field_refused(name, message)

    def _fill(self, record: StoryRecord) -> None:
        """Show a newly opened story in the panel's widgets."""
        raise NotImplementedError

    def _refresh(self, record: StoryRecord) -> None:
        """Show what a save of the open story changed (nothing, unless a subclass says otherwise)."""

    def _set_editable(self, editable: bool) -> None:
        """Make the panel's widgets accept changes or not."""
        raise NotImplementedError

    def _field_refused(self, name: str, message: str) -> None:
        """The store refused field `name` (or "", the whole save) of the open story; show it if it is this panel's."""
