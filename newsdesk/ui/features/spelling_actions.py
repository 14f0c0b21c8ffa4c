"""Spelling in the window: the editor's controller, Edit ▸ Check Spelling… (F7) and the per-story toggle.

The controller is made once the store is attached (it reads the newsroom
dictionary), after the window is on screen; dictionaries then load on the
thread pool, so the first paint never waits for them. Whether a story is
checked as the reporter types is remembered per story in the window settings.
What the controller has to say about the personal dictionary (it cannot be
read, a word was not added) goes to the status bar.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject

from newsdesk.ui.common.actions import add_action
from newsdesk.ui.dialogs.spelling_dialog import SpellCheckDialog
from newsdesk.ui.editor.spelling import SpellingController
from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.editor.editor import StoryEditor

log = logging.getLogger(__name__)

SETTINGS_OFF = "spelling/off"
"""Guids of the stories whose reporter turned checking off."""

NOTICE_MS = 20_000
"""How long the status bar shows that the personal dictionary cannot be read or a word was not added."""


class SpellingHost(Host, Protocol):
    """The window as spelling sees it: a `Host` with the story editor, whose text is checked."""

    @property
    def editor(self) -> StoryEditor: ...


class SpellingActions(QObject):
    """Owns the editor's SpellingController and the menu actions that drive it."""

    def __init__(self, window: SpellingHost) -> None:
        super().__init__(window.widget)
        self.setObjectName("spellingActions")
        self.window = window
        self.controller: SpellingController | None = None
        self._loaded_for: tuple[int, str, tuple[str, ...]] | None = None
        place = window.menus.edit_spelling
        self.check_action = add_action(place, "checkSpelling", "Check &Spelling…", self.open_dialog, "F7")
        self.check_action.setEnabled(False)
        self.toggle_action = add_action(place, "spellAsYouType", "Check Spelling as You &Type", checkable=True)
        self.toggle_action.setChecked(True)
        self.toggle_action.setEnabled(False)
        self.toggle_action.toggled.connect(self._toggled)
        window.service_attached.connect(self.attach)

    def attach(self, service: StoryService) -> None:
        if self.controller is not None:
            return
        editor = self.window.editor
        self.controller = SpellingController(editor.highlighter, store=service.store, actor=service.actor, parent=editor)
        editor.spelling = self.controller
        self.controller.ready.connect(self._ready)
        self.controller.failed.connect(lambda message: self.window.statusBar().showMessage(f"Spelling is off: {message}", 10000))
        self.controller.notice.connect(lambda message: self.window.statusBar().showMessage(message, NOTICE_MS))
        self._watch_fields()
        self.window.session.story_opened.connect(self._story_opened)
        self.window.session.story_saved.connect(self._story_saved)
        record = self.window.session.record
        if record is not None:
            self._story_opened(record)

    def _watch_fields(self) -> None:
        """Underline the metadata panel's headline, dek, summary and tagline with the editor's checker."""
        from newsdesk.ui.docks.metadata_panel import MetadataPanel

        assert self.controller is not None
        panel = self.window.widget.findChild(MetadataPanel)
        if panel is None:
            return
        for name, edit in panel.spelling_fields().items():
            self.controller.watch_field(name, edit)
        controller = self.controller

        def headline_checked(*_: object) -> None:
            block = panel.headline.document().firstBlock()
            panel.set_headline_unknown([token.text for token in controller.misspelled(block)])

        panel.headline.textChanged.connect(headline_checked)
        controller.ready.connect(headline_checked)
        controller.dictionary_changed.connect(headline_checked)
        self.window.session.story_opened.connect(headline_checked)

    def _story_opened(self, record: StoryRecord) -> None:
        assert self.controller is not None
        checked = record.guid not in self._switched_off()
        self.toggle_action.blockSignals(True)
        self.toggle_action.setChecked(checked)
        self.toggle_action.blockSignals(False)
        self.toggle_action.setEnabled(True)
        self.controller.set_enabled(checked)
        self._load(record)

    def _story_saved(self, record: StoryRecord) -> None:
        """Names typed into the byline, dateline, tagline or a related link's title become known words for the story."""
        if self.controller is not None and self._loaded_for != _load_key(record):
            self._load(record)

    def _load(self, record: StoryRecord) -> None:
        assert self.controller is not None
        self._loaded_for = _load_key(record)
        self.controller.load(record.language, self._loaded_for[2])

    def _ready(self) -> None:
        gc.freeze()
        self.check_action.setEnabled(True)
        if not self.window.statusBar().currentMessage():  # never over what a step or a save just said
            self.window.statusBar().showMessage("Spelling ready", 3000)

    def _toggled(self, on: bool) -> None:
        record = self.window.session.record
        if self.controller is None or record is None:
            return
        self.controller.set_enabled(on)
        off = self._switched_off()
        if on:
            off.discard(record.guid)
        else:
            off.add(record.guid)
        self.window.settings.setValue(SETTINGS_OFF, sorted(off))

    def _switched_off(self) -> set[str]:
        value = self.window.settings.value(SETTINGS_OFF, [])
        if isinstance(value, str):
            return {value}
        return {str(guid) for guid in value} if isinstance(value, list) else set()

    def open_dialog(self) -> None:
        if self.controller is None or not self.controller.is_ready:
            return
        self.controller.sync_personal()
        SpellCheckDialog(self.window.editor, self.controller, self.window.widget).open()


def _load_key(record: StoryRecord) -> tuple[int, str, tuple[str, ...]]:
    """What the dictionaries were loaded for: the story, its language and the names it makes known."""
    from newsdesk.core.services.spellcheck import names_of

    return (record.id, record.language, names_of(record))


def install_spelling(window: SpellingHost) -> SpellingActions:
    """Add spelling to `window`; safe to call twice."""
    existing = window.widget.findChild(SpellingActions)
    return existing if existing is not None else SpellingActions(window)
