"""The main window: the budget on the left, the story editor and preview in the centre, panels on the right.

The window is built without a store so it can appear at once, showing the
story it opens as `core.store.glance` read it (`show_glance`: typing starts
there, before the store's modules have loaded); `attach` gives
it the story service once the store is open, builds the metadata and links
panels into their docks (they need the store's rules, which load SQLAlchemy)
and fills the budget, all behind the visible window. Widgets talk through the
StorySession and signals; the window wires them together and translates
refusals into words in the status bar or the conflict bar.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from newsdesk import APP_NAME
from newsdesk.core.errors import NewsdeskError
from newsdesk.ui.docks.budget import BudgetPanel
from newsdesk.ui.docks.preview import PreviewPane
from newsdesk.ui.editor.conflict_bar import ConflictBar
from newsdesk.ui.editor.editor import (
    DEFAULT_FONT_SIZE,
    StoryEditor,
    count_words,
    reading_minutes,
)
from newsdesk.ui.editor.find_replace import FindReplaceBar
from newsdesk.ui.editor.focus_mode import DistractionFree
from newsdesk.ui.editor.read_only_bar import ReadOnlyBar
from newsdesk.ui.editor.save_state import SaveStateLabel
from newsdesk.ui.editor.story_session import Conflict, StorySession
from newsdesk.ui.window.menus import MenuBar
from newsdesk.ui.window.panels import install_panels

if TYPE_CHECKING:
    from collections.abc import Mapping

    from newsdesk.core.export.catalogue import SiteSettings
    from newsdesk.core.records import StoryRecord, StoryRef
    from newsdesk.core.rules.figures import Picture
    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.store.db import Store
    from newsdesk.core.store.glance import StoryGlance
    from newsdesk.ui.dialogs.settings_dialog import SettingsOpener

log = logging.getLogger(__name__)

MARKDOWN_HELP = (
    "<p><b>**bold**</b> (Ctrl+B) &nbsp; <i>*italic*</i> (Ctrl+I) &nbsp; [text](https://…) link (Ctrl+K)</p>"
    "<p>## Subhead (Ctrl+1 … Ctrl+3) &nbsp; &gt; quote (Ctrl+Shift+.) &nbsp; - list (Ctrl+Shift+8)</p>"
    "<p>A blank line starts a new paragraph. The dateline is added from the story's metadata.</p>"
)
METADATA_SHARE = [690, 130]
"""The right column's first split, metadata over related links: at 1360×860 the metadata's common fields fit unscrolled."""


class MainWindow(QMainWindow):
    """Newsdesk's one window.

    `first_exposed` fires when the window is first on screen; `service_attached`
    when it is given a story service (at start-up and when someone else signs in).
    """

    first_exposed = Signal()
    service_attached = Signal(object)

    def __init__(self, settings: QSettings, *, autosave_ms: int | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.settings = settings
        self.session = StorySession(parent=self) if autosave_ms is None else StorySession(autosave_ms=autosave_ms, parent=self)
        self._exposed = False
        self._loading = False
        self._glance: StoryGlance | None = None
        self._settings_opener: SettingsOpener | None = None

        self.editor = StoryEditor(self)
        self.editor.setEnabled(False)
        self.find_bar = FindReplaceBar(self.editor, self)
        self.conflict_bar = ConflictBar(self)
        self.read_only_bar = ReadOnlyBar(self)
        self.preview = PreviewPane(self)
        self.preview.follow(self.editor)
        editor_column = QWidget(self)
        column = QVBoxLayout(editor_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.conflict_bar)
        column.addWidget(self.read_only_bar)
        column.addWidget(self.editor, 1)
        column.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(editor_column)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.budget = BudgetPanel(self)
        self.budget_dock = self._dock("budgetDock", "Budget", self.budget, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.metadata_dock = self._dock("metadataDock", "Metadata", None, Qt.DockWidgetArea.RightDockWidgetArea)
        self.links_dock = self._dock("linksDock", "Related Links", None, Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.metadata_dock, self.links_dock, Qt.Orientation.Vertical)
        self.images_dock = self._dock("imagesDock", "Images", None, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.links_dock, self.images_dock)
        self.links_dock.raise_()
        self.history_dock = self._dock("historyDock", "History and Comments", None, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.metadata_dock, self.history_dock)
        self.checks_dock = self._dock("checksDock", "Checks", None, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.metadata_dock, self.checks_dock)
        self.metadata_dock.raise_()
        for tabs in self.findChildren(QTabBar):
            tabs.setAccessibleName("Docked panels: pick one")

        self.words_label = self._status_label("wordCount", "Words")
        self.characters_label = self._status_label("characterCount", "Characters")
        self.reading_label = self._status_label("readingTime", "Reading time")
        self.save_label = SaveStateLabel(self.session, self)
        self.statusBar().addPermanentWidget(self.save_label)

        self.menus = MenuBar(self, self.docks())
        self.setMenuBar(self.menus)
        self.focus_mode = DistractionFree(
            self, self.editor, lambda: [*self.docks(), self.preview, self.menuBar(), self.statusBar(), self.find_bar]
        )
        self.focus_mode.toggled.connect(self.menus.distraction_free_action.setChecked)
        self.menus.word_count_action.toggled.connect(self.focus_mode.set_word_count_visible)
        self._connect_menus()
        self._panels_installed = False
        self._last_conflict: Conflict | None = None
        self._wire()
        self._restore_settings()

    def _dock(self, name: str, title: str, widget: QWidget | None, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return [self.budget_dock, self.metadata_dock, self.links_dock, self.images_dock, self.history_dock, self.checks_dock]

    @property
    def widget(self) -> QWidget:
        """The window itself, as the feature controllers' `Host` names it (their parent and their dialogs')."""
        return self

    @property
    def actions_by_name(self) -> Mapping[str, QAction]:
        """Every named action of the menus, the features' included (read-only)."""
        return self.menus.actions_by_name

    def story_panels(self) -> list[QWidget]:
        """The docked panels that edit the open story (metadata, links, images), once `attach` has built them."""
        docks = (self.metadata_dock, self.links_dock, self.images_dock)
        return [widget for widget in (dock.widget() for dock in docks) if widget is not None]

    def _status_label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(label)
        return label

    def _connect_menus(self) -> None:
        menus, editor, finder = self.menus, self.editor, self.find_bar
        menus.new_story_action.triggered.connect(self.new_story)
        menus.save_story_action.triggered.connect(self.save_now)
        menus.settings_action.triggered.connect(self.open_settings)
        menus.quit_action.triggered.connect(self.close)
        menus.edit_requested.connect(self.edit_focused)
        menus.find_action.triggered.connect(finder.open_find)
        menus.find_next_action.triggered.connect(finder.find_next)
        menus.find_previous_action.triggered.connect(finder.find_previous)
        menus.replace_action.triggered.connect(lambda: finder.open_find(replace=True))
        menus.wrap_requested.connect(editor.toggle_wrap)
        menus.link_action.triggered.connect(editor.toggle_link)
        menus.heading_requested.connect(editor.set_heading)
        menus.quote_action.triggered.connect(editor.toggle_quote)
        menus.list_action.triggered.connect(editor.toggle_list)
        menus.smart_typography_action.toggled.connect(self.set_smart_typography)
        menus.smart_typography_action.setChecked(editor.smart_typography)
        menus.preview_action.toggled.connect(self.set_preview_visible)
        menus.distraction_free_action.toggled.connect(self.set_distraction_free)
        menus.font_step_requested.connect(self.change_font_size)
        menus.zoom_reset_action.triggered.connect(self.reset_font_size)
        menus.open_selected_action.triggered.connect(self.open_selected_story)
        menus.reload_action.triggered.connect(self.reload_story)
        menus.focus_budget_action.triggered.connect(self.focus_budget)
        menus.focus_editor_action.triggered.connect(editor.setFocus)
        menus.markdown_help_action.triggered.connect(self.show_markdown_help)
        menus.shortcuts_action.triggered.connect(self.show_shortcuts)
        menus.about_action.triggered.connect(self.show_about)

    def _wire(self) -> None:
        session = self.session
        self.editor.textChanged.connect(self._body_changed)
        self.editor.changes_paused.connect(self._text_paused)
        self.budget.open_requested.connect(self.open_story)
        self.budget.model.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.find_bar.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.preview.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        session.story_opened.connect(self._show_story)
        session.story_saved.connect(self._story_saved)
        session.save_failed.connect(self._save_failed)
        session.conflict.connect(self._conflict)
        self.conflict_bar.reload_button.clicked.connect(lambda: self._resolve(keep_mine=False))
        self.conflict_bar.keep_button.clicked.connect(lambda: self._resolve(keep_mine=True))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._application_state_changed)

    def attach(self, service: StoryService, sections: list[tuple[str, int]], story: StoryRef | None = None) -> None:
        """Give the window its store: fill the budget and open `story` (or the one open last time)."""
        from newsdesk.core.rules.domain import Status

        if not self._panels_installed:
            install_panels(self.session, metadata=self.metadata_dock, links=self.links_dock, checks=self.checks_dock,
                           images=self.images_dock, insert=self.editor.insertPlainText)
            self._panels_installed = True
            if self._first_layout:
                QTimer.singleShot(0, lambda: self.resizeDocks([self.metadata_dock, self.links_dock], METADATA_SHARE,
                                                              Qt.Orientation.Vertical))
        self.session.set_service(service)
        self.preview.set_settings_source(partial(_site_settings, service.store))
        self.preview.set_pictures_source(partial(_preview_pictures, service.store))
        self.budget.set_filters([status.value for status in Status], sections)
        self.budget.model.set_service(service)
        self.service_attached.emit(service)
        wanted = story if story is not None else self.settings.value("story/last")
        if wanted in (None, ""):
            self._open_first_when_loaded()
        else:
            self.open_story(wanted, report_missing=story is not None)
        if story is not None:
            self.editor.setFocus()

    def show_glance(self, glance: StoryGlance, *, editable: bool) -> None:
        """The first paint: the story as the light path read it, the caret in it, before the store is attached.

        What is typed here stays in the editor; when `attach` opens the same
        story unchanged, it becomes the session's pending edit and is saved at
        once. Should the story have changed meanwhile (or another open), the
        typed text is kept as a revision of it instead: nothing typed is lost.
        """
        self._glance = glance
        self._loading = True
        try:
            self.editor.load(glance.body)
        finally:
            self._loading = False
        self.editor.setEnabled(True)
        self.editor.setReadOnly(not editable)
        self._show_counts(len(glance.body), glance.word_count)
        self.setWindowTitle(f"{glance.headline} — {APP_NAME}")
        self.editor.setFocus()

    def _take_over_glance(self, record: StoryRecord) -> str | None:
        """At the first real open after `show_glance`: the text typed meanwhile, when the editor keeps it as it is."""
        glance, self._glance = self._glance, None
        if glance is None:
            return None
        typed = self.editor.toPlainText()
        if typed == glance.body:
            return None
        if record.id == glance.id and record.version == glance.version:
            return typed
        service = self.session.service
        assert service is not None
        revision = service.keep_conflict(glance.id, {"body": typed}, note="Typed while the store was opening; the story had changed")
        log.warning("Story %s changed while the store was opening; the text typed meanwhile is revision %s", glance.id, revision)
        message = f"“{glance.headline}” changed while the store was opening; what you typed is kept as revision {revision}."
        self.statusBar().showMessage(message, 15000)
        return None

    def _open_first_when_loaded(self) -> None:
        """With no story asked for and none open last time, open the budget's first once its page is in (read on a worker)."""
        model = self.budget.model

        def first(_total: int) -> None:
            model.loaded.disconnect(first)
            story_id = model.story_id(0) if model.rowCount() else None
            if self.session.record is None and story_id is not None:
                self.open_story(story_id, report_missing=False)

        model.loaded.connect(first)

    def open_story(self, ref: StoryRef, *, report_missing: bool = True) -> StoryRecord | None:
        """Open a story (saving the current one first); a story that cannot be opened is reported in the status bar."""
        try:
            return self.session.open(ref)
        except NewsdeskError as error:
            log.info("Cannot open story %s: %s", ref, error)
            if report_missing:
                self.statusBar().showMessage(str(error), 8000)
            return None

    def open_selected_story(self) -> None:
        index = self.budget.table.currentIndex()
        story_id = self.budget.model.story_id(index.row()) if index.isValid() else None
        if story_id is not None:
            self.open_story(story_id)

    def _show_story(self, record: StoryRecord) -> None:
        typed = self._take_over_glance(record)
        if typed is None:
            self._loading = True
            try:
                self.editor.load(record.body)
            finally:
                self._loading = False
        refusal = self.session.edit_refusal(record)
        self.editor.setEnabled(True)
        self.editor.setReadOnly(bool(refusal))
        self.read_only_bar.show_notice(self.session.edit_notice(record))
        if refusal:
            self.statusBar().showMessage(refusal, 8000)
        left = self._last_conflict
        if left is not None and left.story_id != record.id:
            kept = f" your text is kept as revision {left.revision}" if left.revision else " nothing was overwritten"
            self.statusBar().showMessage(f"“{left.headline}” was changed by someone else meanwhile;{kept}.", 15000)
        self._last_conflict = None
        self.conflict_bar.hide()
        self._show_counts(len(record.body), record.word_count)
        self._request_preview(record.body, record)
        self._update_title(record)
        self.budget.select_story(record.id)
        self.settings.setValue("story/last", record.id)
        if typed is not None:
            self.session.edit("body", typed)
            self.session.save_now("autosave")

    def _update_title(self, record: StoryRecord) -> None:
        self.setWindowTitle(f"{record.headline} — {APP_NAME}")

    def _body_changed(self) -> None:
        """A keystroke: the session reads the text when it needs it, not a copy of the whole story per key."""
        if not self._loading:
            self.session.edit_later("body", self.editor.toPlainText)

    def _text_paused(self) -> None:
        record = self.session.record
        if record is None:
            return
        text = self.editor.toPlainText()
        self._show_counts(len(text), count_words(text))
        self._request_preview(text, record)

    def _show_counts(self, characters: int, words: int) -> None:
        self.words_label.setText(f"{words:,} words")
        self.focus_mode.show_words(words)
        self.characters_label.setText(f"{characters:,} characters")
        minutes = reading_minutes(words)
        self.reading_label.setText(f"{minutes} min read" if minutes else "")

    def _request_preview(self, text: str, record: StoryRecord) -> None:
        if self.preview.isVisible():
            self.preview.request(record, text)

    def _story_saved(self, record: StoryRecord) -> None:
        """A save or a workflow step: title, budget row and preview heading follow the stored story."""
        self._update_title(record)
        self.budget.model.update_story(record)
        self._request_preview(self.editor.toPlainText(), record)

    def _save_failed(self, field: str, message: str) -> None:
        self.statusBar().showMessage(message if not field else f"{field}: {message}", 10000)

    def _conflict(self, conflict: Conflict) -> None:
        copy = f" Your text is kept as revision {conflict.revision}." if conflict.revision else ""
        self._last_conflict = conflict
        self.conflict_bar.label.setText(f"{conflict.message}{copy} Keep editing safely, then choose which version the story keeps.")
        self.conflict_bar.show()

    def _resolve(self, *, keep_mine: bool) -> None:
        self.session.resolve_conflict(keep_mine=keep_mine)
        self.conflict_bar.hide()

    def save_now(self) -> None:
        if self.session.save_now("save"):
            self.statusBar().showMessage("Saved, with a revision to come back to.", 4000)

    def reload_story(self) -> None:
        """Read the story and the budget again from the store (others may have changed them)."""
        self.budget.model.refresh()
        record = self.session.record
        if record is not None:
            self.open_story(record.id)

    def open_settings(self) -> None:
        """The Newsroom Settings dialog (read-only for anyone but an admin); the Checks panel re-reads them after."""
        service = self.session.service
        if service is None:
            return
        from newsdesk.ui.dialogs.settings_dialog import SettingsOpener

        if self._settings_opener is None:
            self._settings_opener = SettingsOpener(self, lambda message: self.statusBar().showMessage(message, 8000))
            checks = self.checks_dock.widget()
            if hasattr(checks, "reload_settings"):
                self._settings_opener.saved.connect(checks.reload_settings)
        self._settings_opener.open(service.store, service.actor)

    def new_story(self) -> None:
        service = self.session.service
        if service is None:
            return
        from newsdesk.ui.dialogs.new_story import NewStoryDialog

        dialog = NewStoryDialog(self)
        if not dialog.exec():
            return
        headline = dialog.headline()
        from newsdesk.ui.common.store_calls import on_store

        try:
            record = on_store(lambda: service.create(headline), service.store)
        except NewsdeskError as error:
            QMessageBox.warning(self, "New Story", error.message)
            return
        self.budget.model.refresh()
        self.open_story(record.id)
        self.editor.setFocus()

    def focus_budget(self) -> None:
        self.budget_dock.show()
        self.budget.table.setFocus()

    def edit_focused(self, operation: str) -> None:
        """Undo, copy, paste … in whichever text field has the focus, the story text by default."""
        target = QApplication.focusWidget()
        if target is None or not hasattr(target, operation):
            target = self.editor
        getattr(target, operation)()

    def set_smart_typography(self, on: bool) -> None:
        self.editor.smart_typography = on

    def set_preview_visible(self, visible: bool) -> None:
        self.preview.setVisible(visible)
        if visible:
            self._text_paused()

    def set_distraction_free(self, on: bool) -> None:
        """Only the text (see focus_mode); Esc leaves."""
        self.focus_mode.set_active(on)

    def change_font_size(self, step: int) -> None:
        self.editor.set_font_size(self.editor.font_size() + step)
        self._store_font_size()

    def reset_font_size(self) -> None:
        self.editor.set_font_size(DEFAULT_FONT_SIZE)
        self._store_font_size()

    def _store_font_size(self) -> None:
        size = self.editor.font_size()
        if size == DEFAULT_FONT_SIZE:
            self.settings.remove("editor/fontSize")
        else:
            self.settings.setValue("editor/fontSize", size)

    def show_markdown_help(self) -> None:
        QMessageBox.information(self, "Markdown in Newsdesk", MARKDOWN_HELP)

    def show_shortcuts(self) -> None:
        from newsdesk.ui.dialogs.shortcuts import ShortcutsDialog, shortcuts

        ShortcutsDialog(shortcuts(self.menus, self.actions_by_name), self).exec()

    def show_about(self) -> None:
        from newsdesk import config
        from newsdesk.ui.dialogs.about import AboutDialog

        service = self.session.service
        AboutDialog(service.store.url if service else config.database_url(), self).exec()

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive and self.session.is_dirty:
            self.session.save_now("autosave")

    def _restore_settings(self) -> None:
        settings = self.settings
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
            self.resizeDocks([self.budget_dock, self.metadata_dock], [420, 330], Qt.Orientation.Horizontal)
            self.splitter.setSizes([560, 440])
        state = settings.value("window/state")
        self._first_layout = not (isinstance(state, QByteArray) and not state.isEmpty())
        if not self._first_layout:
            self.restoreState(state)
        preview = settings.value("window/preview", True, type=bool)
        self.preview.setVisible(bool(preview))
        self.menus.preview_action.setChecked(bool(preview))
        size = settings.value("editor/fontSize", DEFAULT_FONT_SIZE, type=int)
        self.editor.set_font_size(size if isinstance(size, int) else DEFAULT_FONT_SIZE)

    def save_settings(self) -> None:
        self.focus_mode.set_active(False)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/preview", self.preview.isVisibleTo(self))
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting never asks: what is typed is saved (or, after a conflict, kept as a revision)."""
        self.session.close_story()
        self.save_settings()
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if not self._exposed and handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._exposed and event.type() == QEvent.Type.Expose and watched is self.windowHandle():
            self._exposed = True
            watched.removeEventFilter(self)
            self.first_exposed.emit()
        return super().eventFilter(watched, event)


def _preview_pictures(store: Store, story: StoryRecord) -> Mapping[int, Picture]:
    """The story's images for the preview, as 800-px renditions in the preview folder; called on the preview's worker.

    A store or folder that cannot be used just now gives none: the preview still follows the typing.
    A story without photographs needs none of it (the site's modules, Pillow, its process pool stay unloaded).
    """
    if not story.images:
        return {}
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.core.export.preview import preview_pictures
    from newsdesk.core.export.site import default_preview_folder
    from newsdesk.ui.common.store_calls import on_store

    try:
        return on_store(lambda: preview_pictures(store, default_preview_folder(), story), store)
    except NewsdeskError as error:
        log.info("The preview shows no images: %s", error.message)
        return {}


def _site_settings(store: Store) -> SiteSettings:
    """The newsroom's name and site address for the preview; called on the preview's worker, so the import costs no paint.

    A store that cannot be read just now (busy, gone) gives the defaults: the preview still follows the typing.
    """
    from newsdesk.core.errors import StoreError
    from newsdesk.core.export.catalogue import read_settings
    from newsdesk.core.export.preview import DEFAULT_SETTINGS
    from newsdesk.ui.common.store_calls import on_store

    try:
        return on_store(lambda: read_settings(store), store)
    except StoreError as error:
        log.info("The preview uses the default site settings: %s", error.message)
        return DEFAULT_SETTINGS
