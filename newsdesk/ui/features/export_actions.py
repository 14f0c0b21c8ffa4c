"""File ▸ Export Site…, Story ▸ Export Page… and Story ▸ Open in Browser: the window's side of `core.export`.

Every export runs on the thread pool, drawing pages in that thread (the
writer's page processes are for the command line); results come back through signals and
only this controller touches widgets. The site export shows a window-modal
progress dialog counting the pages drawn; Cancel stops it before anything is
renamed into place, so the folder keeps the previous site byte for byte.

Where pages go: the site folder is asked for on each site export, starting
from the last one (window settings, `export/siteFolder`). Export Page writes a
published or killed story's page there (only that page; section pages follow
at the next site export), and any other story as a `noindex` preview into the
command line's preview folder (`newsdesk export --preview`): core refuses
previews inside an exported site so that one can never go live. Open in
Browser shows a published story's page from the site folder when it was
written after the story's last change, else a fresh preview in a temporary
folder kept until Newsdesk quits. Pending edits are saved first each time.
Core's modules are imported inside the handlers, after the first paint.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
)

from newsdesk.ui.common import file_dialogs
from newsdesk.ui.common.actions import add_action
from newsdesk.ui.common.store_calls import on_store
from newsdesk.ui.common.workers import Job, Worker

if TYPE_CHECKING:
    from newsdesk.core.export.writer import ExportResult
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.store.db import Store
    from newsdesk.ui.features.host import Host

log = logging.getLogger(__name__)

SETTINGS_FOLDER = "export/siteFolder"
PROGRESS_EVERY_SECONDS = 0.05
"""The worker reports progress at most this often (and always the first and last page)."""
DIALOG_DELAY_MS = 400
"""The progress dialog appears only for exports that take longer than this."""
UNEXPECTED = "The export stopped on an unexpected error; the details are in the log file."


@dataclass(frozen=True)
class PageExport:
    """A page written for one story: where, and whether it is a preview (not the live page)."""

    story_id: int
    headline: str
    page: Path
    preview: bool


class ExportActions(QObject):
    """Owns the three export actions and the progress dialog; one export at a time.

    `site_exported` carries the ExportResult (also when cancelled), `page_exported`
    the PageExport of Export Page, `browser_opened` the page shown, `failed` the message.
    """

    site_exported = Signal(object)
    page_exported = Signal(object)
    browser_opened = Signal(object)
    failed = Signal(str)
    progressed = Signal(int, int)

    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.setObjectName("exportActions")
        self.window = window
        self.progress_dialog: QProgressDialog | None = None
        self.last_message: QMessageBox | None = None
        self._worker = Worker(self)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.crashed.connect(self._crashed)
        self._task: tuple[str, Callable[[Any], None]] | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        menus = window.menus
        tip = "Write every published story's page, the section pages, feeds and sitemap into a folder"
        self.site_action = add_action(menus.file_exchange, "exportSite", "&Export Site…", self.export_site, "Ctrl+Alt+E",
                                      tip=tip, tool_tip=tip)
        tip = "Write the open story's page (as a preview, not for publication, while it is unpublished)"
        self.page_action = add_action(menus.story_export, "exportPage", "E&xport Page…", self.export_page, "Ctrl+E", tip=tip, tool_tip=tip)
        tip = "Show the open story's page in your web browser"
        self.browser_action = add_action(menus.story_export, "openInBrowser", "Open &in Browser", self.open_in_browser, "Ctrl+Shift+O",
                                         tip=tip, tool_tip=tip)
        window.service_attached.connect(self._update_actions)
        window.session.story_opened.connect(self._update_actions)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel)
        self._update_actions()

    @property
    def running(self) -> bool:
        return self._worker.running

    def _update_actions(self, _changed: object = None) -> None:
        service = self.window.session.service is not None
        story = service and self.window.session.record is not None
        self.site_action.setEnabled(service and not self.running)
        self.page_action.setEnabled(story and not self.running)
        self.browser_action.setEnabled(story and not self.running)

    def site_folder(self) -> Path | None:
        """The folder the site was last exported to, if any."""
        value = self.window.settings.value(SETTINGS_FOLDER)
        return Path(value) if isinstance(value, str) and value else None

    def export_site(self) -> None:
        """Ask for the folder, save the open story, then export the site behind a cancellable progress dialog."""
        service = self._ready()
        if service is None:
            return
        folder = self._ask_for_folder()
        if folder is None or not self._save_first():
            return
        from newsdesk.core.export.site import ExportRequest, export_site

        store = service.store

        def work(job: Job) -> ExportResult:
            last = 0.0

            def progress(done: int, total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if done in (1, total) or now - last >= PROGRESS_EVERY_SECONDS:
                    last = now
                    job.report((done, total))

            return export_site(store, ExportRequest(folder, progress=progress, cancelled=job.cancelled, workers=1))

        self._show_progress(folder)
        log.info("Exporting the site to %s", folder)
        self._start("Export Site", work, self._site_exported)

    def export_page(self) -> None:
        """Write the open story's page: into the site folder when it is on the site, else as a preview."""
        service = self._ready()
        record = self.window.session.record
        if service is None or record is None or not self._save_first():
            return
        record = self.window.session.record
        assert record is not None
        store = service.store
        from newsdesk.core.rules.domain import ON_SITE

        if record.status in ON_SITE:
            folder = self.site_folder() or self._ask_for_folder()
            if folder is None:
                return
            page: Callable[[], PageExport] = partial(_site_page, store, folder, record)
        else:
            from newsdesk.core.export.site import default_preview_folder

            page = partial(_preview_page, store, default_preview_folder(), record)
        self.window.statusBar().showMessage(f"Writing the page of “{record.headline}”…")
        self._start("Export Page", lambda _job: page(), self._page_written)

    def open_in_browser(self) -> None:
        """Show the open story's page in the web browser (the exported page when it is current, else a preview)."""
        service = self._ready()
        record = self.window.session.record
        if service is None or record is None or not self._save_first():
            return
        record = self.window.session.record
        assert record is not None
        store, site = service.store, self.site_folder()
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="newsdesk-preview-", ignore_cleanup_errors=True)
        temporary = Path(self._temporary.name)
        self._start("Open in Browser", lambda _job: _browser_page(store, site, temporary, record), self._open)

    def cancel(self) -> None:
        """Stop the site export under way; the folder stays as it was."""
        if self._worker.cancel():
            self.window.statusBar().showMessage("Cancelling the export; the site folder stays as it was…")

    def _ready(self) -> StoryService | None:
        service = self.window.session.service
        if service is None:
            self.window.statusBar().showMessage("The store is still opening; try again in a moment.", 5000)
        elif self.running:
            self.window.statusBar().showMessage("An export is already running; wait for it or cancel it.", 5000)
            return None
        return service

    def _save_first(self) -> bool:
        if self.window.session.save_now("autosave"):
            return True
        self.window.statusBar().showMessage("The open story could not be saved, so nothing was exported.", 10000)
        return False

    def _ask_for_folder(self) -> Path | None:
        from newsdesk.core.export.site import default_site_folder

        start = self.site_folder() or default_site_folder()
        chosen = file_dialogs.existing_folder(self.window.widget, "Export Site To", str(start))
        if not chosen:
            return None
        self.window.settings.setValue(SETTINGS_FOLDER, chosen)
        return Path(chosen)

    def _start(self, title: str, work: Callable[[Job], Any], done: Callable[[Any], None]) -> None:
        """Run `work` on the worker; `done` gets what it returns, a refusal or failure (the store's too) is reported under `title`."""
        service = self.window.session.service
        assert service is not None
        store = service.store
        self._task = (title, done)
        self._worker.start(lambda job: on_store(partial(work, job), store))
        self._update_actions()

    def _succeeded(self, result: object) -> None:
        assert self._task is not None
        self._finish()
        self._task[1](result)

    def _failed(self, message: str) -> None:
        assert self._task is not None
        self._finish()
        self._report(self._task[0], message)

    def _crashed(self) -> None:
        assert self._task is not None
        self._finish()
        self._report(self._task[0], UNEXPECTED)

    def _finish(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.hide()
        self._update_actions()

    def _show_progress(self, folder: Path) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            dialog = self.progress_dialog = QProgressDialog(self.window.widget)
            dialog.setObjectName("exportProgress")
            dialog.setWindowTitle("Export Site")
            dialog.setAccessibleName("Export progress")
            bar = QProgressBar(dialog)
            bar.setAccessibleName("Pages exported")
            dialog.setBar(bar)
            dialog.setCancelButtonText("&Cancel")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.setMinimumWidth(420)
            dialog.canceled.connect(self.cancel)
        dialog.reset()
        dialog.setAccessibleDescription(f"Exporting the site to {folder}")
        dialog.setLabelText(f"Preparing the export to {folder}…")
        dialog.setRange(0, 0)
        dialog.setMinimumDuration(DIALOG_DELAY_MS)
        dialog.setValue(0)

    def _progressed(self, progress: tuple[int, int]) -> None:
        if self._worker.cancelled:
            return
        done, total = progress
        dialog = self.progress_dialog
        if dialog is not None:
            dialog.setLabelText(f"Exported {done:,} of {total:,} pages")
            if dialog.maximum() != total:
                dialog.setRange(0, total)
            dialog.setValue(done)
        self.progressed.emit(done, total)

    def _site_exported(self, result: ExportResult) -> None:
        text = result.summary() if result.cancelled else f"Site exported to {result.out}: {result.summary()}."
        self.window.statusBar().showMessage(text, 15000)
        self.site_exported.emit(result)

    def _page_written(self, outcome: PageExport) -> None:
        if outcome.preview:
            text = f"A preview of “{outcome.headline}” (not for publication, hidden from search engines) was written to {outcome.page}."
        else:
            text = f"The page of “{outcome.headline}” was written to {outcome.page}; section pages follow at the next site export."
        self.window.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Information, "Export Page", text, QMessageBox.StandardButton.Close, self.window.widget)
        box.setObjectName("pageExported")
        box.setAccessibleName("Page exported")
        opener = box.addButton("Open in &Browser", QMessageBox.ButtonRole.AcceptRole)
        opener.setObjectName("openExportedPage")
        opener.clicked.connect(lambda: self._open(outcome))
        box.setDefaultButton(opener)
        self.last_message = box
        box.open()
        self.page_exported.emit(outcome)

    def _open(self, export: PageExport) -> None:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(export.page))):
            kind = "A preview" if export.preview else "The exported page"
            self.window.statusBar().showMessage(f"{kind} of “{export.headline}” is open in your browser.", 8000)
            self.browser_opened.emit(export)
        else:
            self.window.statusBar().showMessage(f"No web browser could be started; the page is {export.page}", 15000)

    def _report(self, title: str, message: str) -> None:
        """A refusal or failure in words, in the status bar and a message that does not block."""
        log.warning("%s failed: %s", title, message)
        self.window.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self.window.widget)
        box.setObjectName("exportError")
        box.setAccessibleName(f"{title} failed")
        self.last_message = box
        box.open()
        self.failed.emit(message)


def _site_page(store: Store, folder: Path, record: StoryRecord) -> PageExport:
    """Runs on the worker: bring one story's page in the site folder up to date."""
    from newsdesk.core.export.site import ExportRequest, export_site, page_on_site

    export_site(store, ExportRequest(folder, story_ids=[record.id], workers=1))
    page = page_on_site(store, folder, record.id)
    assert page is not None
    return PageExport(record.id, record.headline, page, preview=False)


def _preview_page(store: Store, folder: Path, record: StoryRecord) -> PageExport:
    """Runs on the worker: the story's page marked as a preview (`noindex`), whatever its state."""
    from newsdesk.core.export.site import export_preview

    return PageExport(record.id, record.headline, export_preview(store, folder, record.id), preview=True)


def _browser_page(store: Store, site: Path | None, temporary: Path, record: StoryRecord) -> PageExport:
    """Runs on the worker: the exported page when core finds it current (`site.current_page`), else a fresh preview."""
    from newsdesk.core.export.site import current_page

    page = current_page(store, site, record) if site is not None else None
    if page is not None:
        return PageExport(record.id, record.headline, page, preview=False)
    return _preview_page(store, temporary, record)


def install_export(window: Host) -> ExportActions:
    """Add File ▸ Export Site… and Story ▸ Export Page… / Open in Browser to `window`; safe to call twice."""
    existing = window.widget.findChild(ExportActions)
    return existing if existing is not None else ExportActions(window)
