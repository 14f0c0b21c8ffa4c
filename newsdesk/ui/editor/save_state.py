"""The status bar's save state, told from what the story session actually did, never guessed.

Four states, each true when shown:

- "Unchanged since 18:21" — the story as opened (or reloaded); nothing typed yet. It says when the
  store's copy last changed, not that anything was saved now.
- "Saving…" — changes are pending and autosave will write them when typing pauses (or they are
  being written).
- "Saved 14:02" — the session's last write reached the store at that time and nothing is pending.
- "Not saved: (reason)" — a write was refused (store busy, read-only, full, a conflict); it stays
  until a write succeeds, however much more is typed. The whole message is the tooltip.

A refusal that leaves nothing pending (a link refused while the text is saved) does not change it:
the status bar says that one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.ui.editor.story_session import Conflict, StorySession

SAVING = "Saving…"


def clock(moment: datetime, now: datetime | None = None) -> str:
    """`14:02` today, `Nov. 28, 14:02` on another day, in the computer's time zone."""
    from newsdesk.core.rules.dateline import AP_MONTHS

    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    return f"{AP_MONTHS[local.month - 1]} {local.day}, {local:%H:%M}"


def first_sentence(message: str) -> str:
    head, dot, _rest = message.partition(". ")
    return head + ("." if dot else "")


class SaveStateLabel(QLabel):
    """A status-bar label that follows `session`'s opens, edits, saves and refusals."""

    def __init__(self, session: StorySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveState")
        self.setAccessibleName("Save state")
        self.setContentsMargins(8, 0, 8, 0)
        self._session = session
        self._failure = ""
        self._saved_at: datetime | None = None
        session.story_opened.connect(self._opened)
        session.story_saved.connect(self._saved)
        session.dirty_changed.connect(self._dirty_changed)
        session.save_failed.connect(self._failed)
        session.conflict.connect(self._conflict)

    def _show(self, text: str, tip: str = "") -> None:
        self.setText(text)
        self.setToolTip(tip or text)

    def _opened(self, record: StoryRecord) -> None:
        self._failure = ""
        self._saved_at = None
        moment = clock(record.updated_at)
        self._show(f"Unchanged since {moment}", f"The stored copy was last changed {moment}; nothing has been typed since it was opened.")

    def _saved(self, record: StoryRecord) -> None:
        self._failure = ""
        self._saved_at = record.updated_at
        self._show(SAVING if self._session.is_dirty else f"Saved {clock(record.updated_at)}")

    def _dirty_changed(self, dirty: bool) -> None:
        if dirty:
            if not self._failure:
                self._show(SAVING)
            return
        self._failure = ""
        record = self._session.record
        if record is None:
            return
        if self._saved_at is None:
            self._opened(record)
        else:
            self._show(f"Saved {clock(self._saved_at)}")

    def _failed(self, field: str, message: str) -> None:
        if not self._session.is_dirty:
            return
        reason = f"{field}: {message}" if field else message
        self._failure = reason
        self._show(f"Not saved: {first_sentence(reason)}", reason)

    def _conflict(self, conflict: Conflict) -> None:
        self._failure = conflict.message
        kept = f" Your text is kept as revision {conflict.revision}." if conflict.revision else ""
        self._show("Not saved: changed elsewhere", conflict.message + kept)
