"""The open story and its unsaved changes: the one place the window's widgets send edits to.

The editor, the metadata panel and the links panel never write to the store
themselves. They call `edit(field, value)`; the session merges the change into
its pending changes, restarts the autosave timer and, when typing pauses (or on
`save_now`, a story switch, focus loss or close), writes them with the version
it read, so a save can never overwrite someone else's newer copy. The editor
calls `edit_later(field, read)` instead: a keystroke must cost the paragraph,
not a copy of the whole story, so the text is read when a save or the Checks
panel needs it.

Pending changes belong to the story they were made on: `open` saves them before
it loads the next story, so switching fast never mixes two stories' text. When
the store refuses a save because someone else saved first (StaleVersion), the
reporter's text is kept as a "conflict" revision through the story service,
`conflict` is emitted, and autosave holds off for that story until the window
resolves it (`resolve_conflict`): nothing typed is ever lost.

Before each write, and on the lock heartbeat (`check_store`), the session asks
the store whether its files were deleted or replaced under the open
connections (`Store.reconnect_if_replaced`). If so the store reconnects, and
whatever the session saved since the last good check, which may have gone to
the deleted WAL, is written again; where someone changed the same field
meanwhile, the window's text is kept as a conflict revision instead.

The store's modules are imported only when first needed, so the window can be
on screen before SQLAlchemy has loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from newsdesk.core.errors import InvalidField, NotPermitted, StaleVersion, StoreError
from newsdesk.core.rules import workflow
from newsdesk.core.rules.domain import Status

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord, StoryRef
    from newsdesk.core.services.stories import StoryService

log = logging.getLogger(__name__)

DEFAULT_AUTOSAVE_MS = 1500

Operation = Callable[["StoryService", int], "StoryRecord"]


@dataclass(frozen=True)
class Conflict:
    """A save the store refused because the story changed elsewhere; the reporter's copy is revision `revision`."""

    story_id: int
    headline: str
    revision: int
    message: str
    current_version: int


@dataclass(frozen=True)
class _Unread:
    """A pending value not read yet (`edit_later`): the body is copied out of the editor only when it is needed."""

    read: Callable[[], Any]


def stored_value(record: StoryRecord, name: str) -> Any:
    """What the store holds for an EDITABLE field, in the types `edit` is given them."""
    if name.startswith("dateline."):
        return getattr(record.dateline, name.split(".", 1)[1])
    if name == "sections":
        return tuple(section.name for section in record.sections)
    return getattr(record, name)


class StorySession(QObject):
    """Holds the open story, its version and the pending changes; saves them on a pause and on demand."""

    story_opened = Signal(object)
    story_saved = Signal(object)
    save_failed = Signal(str, str)
    conflict = Signal(object)
    dirty_changed = Signal(bool)
    edited = Signal(str)
    """A field of the open story was changed in the window (saved or not yet): the Checks panel listens."""
    edit_declined = Signal(int)
    """The edit guard said no to a change of this story: the window puts its fields back as stored."""

    def __init__(
        self, service: StoryService | None = None, *, autosave_ms: int = DEFAULT_AUTOSAVE_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._record: StoryRecord | None = None
        self._pending: dict[str, Any] = {}
        self._conflict: Conflict | None = None
        self._kept: dict[str, Any] = {}
        self._unverified: dict[int, dict[str, tuple[Any, Any]]] = {}
        self._dirty = False
        self.edit_guard: Callable[[StoryRecord], bool] | None = None
        """Asked before the first change to the open story is taken (`features.published_edits`); False drops it."""
        self._timer = QTimer(self)
        self._timer.setObjectName("autosaveTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(autosave_ms)
        self._timer.timeout.connect(self._autosave)

    @property
    def service(self) -> StoryService | None:
        return self._service

    def set_service(self, service: StoryService) -> None:
        """Attach the store once it is open (the window shows before the store is opened)."""
        self._service = service

    @property
    def record(self) -> StoryRecord | None:
        """The story as last read or saved; pending edits are not in it."""
        return self._record

    @property
    def version(self) -> int | None:
        return None if self._record is None else self._record.version

    @property
    def pending(self) -> dict[str, Any]:
        """A copy of the changes not yet in the store."""
        self._settle()
        return dict(self._pending)

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    def edit_refusal(self, record: StoryRecord | None = None) -> str | None:
        """Why the signed-in person may not change `record` (the open story by default), or None when they may.

        The rule is core's and the store enforces it on every write; the window asks here only to say so
        early and turn its fields read-only. None before the store is attached.
        """
        story = record if record is not None else self._record
        if story is None or self._service is None:
            return None
        actor = self._service.actor
        return workflow.edit_refusal(Status(story.status), actor.role, story.owner == actor.username)

    def edit_notice(self, record: StoryRecord | None = None) -> str | None:
        """The short line the window shows above the story's text: why it is read-only, or what editing it means."""
        story = record if record is not None else self._record
        if story is None or self._service is None:
            return None
        actor = self._service.actor
        return workflow.edit_notice(Status(story.status), actor.role, story.owner == actor.username)

    @property
    def autosave_interval(self) -> int:
        return self._timer.interval()

    def set_autosave_interval(self, milliseconds: int) -> None:
        self._timer.setInterval(max(0, milliseconds))

    def open(self, ref: StoryRef) -> StoryRecord:
        """Save the current story's pending changes, then load `ref` (StoryNotFound propagates; nothing is lost)."""
        service = self._require_service()
        self._finish_current()
        record = service.get(ref)
        self._record = record
        self._pending.clear()
        self._conflict = None
        self._set_dirty(False)
        log.debug("Opened story %s (version %s)", record.id, record.version)
        self.story_opened.emit(record)
        return record

    def close_story(self) -> None:
        """Save what is pending and forget the story (the window shows no story afterwards)."""
        self._finish_current()
        self._record = None
        self._pending.clear()
        self._conflict = None
        self._set_dirty(False)

    def edit(self, field: str, value: Any) -> None:
        """Record a change to the open story; a value equal to the stored one drops the change."""
        from newsdesk.core.rules.fields import EDITABLE

        if field not in EDITABLE:
            raise InvalidField(field, f"“{field}” is not a field the window can edit.")
        if self._record is None:
            return
        unchanged = not isinstance(value, _Unread) and value == stored_value(self._record, field)
        if not unchanged and not self._pending and self.edit_guard is not None and not self.edit_guard(self._record):
            self.edit_declined.emit(self._record.id)
            return
        if isinstance(value, _Unread):
            self._pending[field] = value
        elif unchanged:
            self._pending.pop(field, None)
        else:
            self._pending[field] = value
        self._set_dirty(bool(self._pending))
        self.edited.emit(field)
        if self._pending and self._conflict is None:
            self._timer.start()
        elif not self._pending:
            self._timer.stop()

    def edit_later(self, field: str, read: Callable[[], Any]) -> None:
        """`edit(field, read())`, with `read` called only when the value is needed (a save, `pending`, the next `edit`).

        The editor calls this at each keystroke: copying a long story out and
        comparing it with the stored one would cost the whole story per key.
        Until it is read the change counts as pending, so the story shows as dirty.
        """
        self.edit(field, _Unread(read))

    def _settle(self) -> None:
        """Read the values `edit_later` left unread, dropping those equal to the stored ones."""
        unread = [name for name, value in self._pending.items() if isinstance(value, _Unread)]
        if not unread or self._record is None:
            return
        for name in unread:
            value = self._pending[name].read()
            if value == stored_value(self._record, name):
                del self._pending[name]
            else:
                self._pending[name] = value
        self._set_dirty(bool(self._pending))

    def save_now(self, reason: str = "save") -> bool:
        """Write pending changes at once; True when the store holds them (or there was nothing to write)."""
        self._timer.stop()
        if self._record is None:
            return True
        self._settle()
        if self._conflict is not None:
            self._keep_conflicting_copy()
            return False
        if not self._pending and reason == "autosave":
            return True
        return self._write(reason)

    def run(self, operation: Operation) -> StoryRecord | None:
        """Flush pending edits, then `operation(service, version)`; adopt and announce the record it returns.

        Used by the links panel and the workflow actions. A refusal is reported
        through `save_failed` or `conflict` and None is returned.
        """
        if self._record is None or not self.save_now("autosave"):
            return None
        service = self._require_service()
        from newsdesk.core.store import failures  # here, not at the top: it loads SQLAlchemy, which the first paint must not wait for

        try:
            self._recover()
            record = operation(service, self._record.version)
        except InvalidField as error:
            self.save_failed.emit(error.field, error.message)
            return None
        except (NotPermitted, StoreError) as error:
            self.save_failed.emit("", error.message)
            return None
        except failures.STORE_FAILURES as error:
            self.save_failed.emit("", failures.translate(error, service.store.url).message)
            return None
        except StaleVersion as error:
            self._conflict = Conflict(self._record.id, self._record.headline, 0, error.message, error.current_version)
            self.conflict.emit(self._conflict)
            return None
        self._adopt(record)
        return record

    def resolve_conflict(self, *, keep_mine: bool) -> StoryRecord | None:
        """After a conflict: keep the reporter's text over the newer version, or reload the newer version.

        Either way the other text stays in the story's revisions.
        """
        if self._record is None or self._conflict is None:
            return self._record
        self._settle()
        service = self._require_service()
        latest = service.get(self._record.id)
        self._conflict = None
        if keep_mine and self._pending:
            self._record = latest
            self._write("save")
            return self._record
        self._record = latest
        self._pending.clear()
        self._set_dirty(False)
        self.story_opened.emit(latest)
        return latest

    def check_store(self) -> bool:
        """Reconnect if the store's files were replaced under us and write again what may have been lost; True if so.

        Called on the lock heartbeat; a store that cannot reconnect yet (another
        thread is using it) is left for the next call, and nothing pending is dropped.
        """
        if self._service is None:
            return False
        self._settle()
        try:
            reconnected = self._recover()
        except StoreError as error:
            log.warning("%s", error.message)
            return False
        if reconnected and self._pending and self._conflict is None:
            self._write("autosave")
        return reconnected

    def _recover(self) -> bool:
        """The check behind `check_store`; raises StoreError when the store cannot reconnect yet."""
        service = self._require_service()
        if not service.store.reconnect_if_replaced():
            self._unverified.clear()
            return False
        unverified, self._unverified = self._unverified, {}
        for story_id, saved in unverified.items():
            self._save_again(service, story_id, saved)
        return True

    def _save_again(self, service: StoryService, story_id: int, saved: dict[str, tuple[Any, Any]]) -> None:
        """Write again the fields saved since the last good check that the store no longer holds."""
        latest = service.get(story_id)
        lost = {name: mine for name, (_, mine) in saved.items() if stored_value(latest, name) != mine}
        if not lost:
            return
        clash = any(stored_value(latest, name) != before for name, (before, _) in saved.items() if name in lost)
        log.warning("Story %s: writing again %s, which the store lost when its files were replaced", story_id, ", ".join(sorted(lost)))
        if self._record is not None and self._record.id == story_id:
            self._pending = {**lost, **self._pending}
            self._set_dirty(True)
            if not clash:
                self._record = latest
                return
            revision = service.keep_conflict(story_id, self._pending)
            self._kept = dict(self._pending)
            message = "This story was changed elsewhere while the store was reconnecting; your text is kept."
            self._conflict = Conflict(story_id, latest.headline, revision, message, latest.version)
            self.conflict.emit(self._conflict)
            return
        if clash:
            service.keep_conflict(story_id, lost, note="Saved while the store's files were replaced")
            return
        try:
            service.update(story_id, lost, expected_version=latest.version, reason="autosave")
        except (InvalidField, NotPermitted, StaleVersion) as error:
            revision = service.keep_conflict(story_id, lost, note=error.message)
            log.warning("Story %s: the text saved again was refused (%s); kept as revision %s", story_id, error.message, revision)

    def _finish_current(self) -> None:
        if self._record is None:
            return
        self._settle()
        if self._conflict is not None:
            self._keep_conflicting_copy()
        elif self._pending:
            self._write("autosave")

    def _autosave(self) -> None:
        self._settle()
        if self._pending and self._conflict is None:
            self._write("autosave")

    def _write(self, reason: str) -> bool:
        """Save pending changes; a bad field is reported and left out so the rest still reaches the store."""
        assert self._record is not None
        self._settle()
        service = self._require_service()
        from newsdesk.core.store import failures  # here, not at the top: it loads SQLAlchemy, which the first paint must not wait for

        try:
            self._recover()
        except StoreError as error:
            log.warning("Story %s not saved yet: %s", self._record.id, error.message)
            self.save_failed.emit("", error.message)
            return False
        if self._conflict is not None:
            return False
        story = self._record
        while True:
            changes = dict(self._pending)
            try:
                record = service.update(story.id, changes, expected_version=story.version, reason=reason)
            except InvalidField as error:
                log.info("Save of story %s refused: %s", story.id, error.message)
                self.save_failed.emit(error.field, error.message)
                if error.field not in self._pending:
                    return False
                del self._pending[error.field]
                self._set_dirty(bool(self._pending))
                continue
            except failures.STORE_PROBLEMS as error:
                # Busy, read-only, full, gone: said as the command line says it; the text stays pending, nothing is lost.
                failure = error if isinstance(error, StoreError) else failures.translate(error, service.store.url)
                log.warning("Story %s not saved: %s", story.id, failure.message)
                self.save_failed.emit("", f"{failure.message} Your text is kept in the window; save again when the store is back.")
                return False
            except StaleVersion as error:
                revision = service.keep_conflict(story.id, changes)
                log.warning("Story %s changed elsewhere; the unsaved copy is revision %s", story.id, revision)
                self._conflict = Conflict(story.id, story.headline, revision, error.message, error.current_version)
                self._kept = changes
                self.conflict.emit(self._conflict)
                return False
            except NotPermitted as error:
                revision = service.keep_conflict(story.id, changes, note=error.message)
                log.warning("Story %s may not be edited; the unsaved copy is revision %s", story.id, revision)
                self._pending.clear()
                self._set_dirty(False)
                self.save_failed.emit("", f"{error.message} Your text was kept as revision {revision}.")
                return False
            saved = self._unverified.setdefault(story.id, {})
            for name, value in changes.items():
                saved[name] = (saved[name][0] if name in saved else stored_value(story, name), value)
            if self._pending == changes:
                self._pending.clear()
            else:
                for name, value in changes.items():
                    if self._pending.get(name) == value:
                        del self._pending[name]
            self._adopt(record)
            return True

    def _keep_conflicting_copy(self) -> None:
        """While in conflict, each save keeps the latest text as another revision rather than overwriting."""
        assert self._record is not None and self._conflict is not None
        self._settle()
        if not self._pending or self._pending == self._kept:
            return
        service = self._require_service()
        self._kept = dict(self._pending)
        revision = service.keep_conflict(self._record.id, self._kept)
        self._conflict = Conflict(
            self._conflict.story_id, self._conflict.headline, revision, self._conflict.message, self._conflict.current_version
        )

    def _adopt(self, record: StoryRecord) -> None:
        self._record = record
        self._set_dirty(bool(self._pending))
        self.story_saved.emit(record)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _require_service(self) -> StoryService:
        if self._service is None:
            raise RuntimeError("The story session has no store yet; call set_service first.")
        return self._service
