"""File ▸ Import… and files dropped on the budget: the window's side of `core.importers`.

The import runs on the thread pool, one file at a time, so the window keeps
answering; the status bar says how far it has got, and the menu entry (which
reads "Cancel Import" meanwhile, same shortcut) stops it between files. Afterwards the
budget is refreshed, the first new draft is opened (or, when every file was
already imported, the story the first one matched), and files that could not be
imported or were skipped as already imported are listed, one line each, in a
message that does not block. A store that stops answering ends the batch with
what was done so far and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from newsdesk.ui.common import file_dialogs
from newsdesk.ui.common.actions import add_action
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.features.host import Host

if TYPE_CHECKING:
    from newsdesk.core.importers import ImportResult
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.docks.budget import BudgetPanel

log = logging.getLogger(__name__)

FILE_FILTER = "Stories (*.txt *.text *.md *.markdown *.html *.htm *.json *.ninjs);;All files (*)"
ACTION_NAME = "importFiles"


class ImportHost(Host, Protocol):
    """The window as the import sees it: a `Host` with the budget, which takes dropped files and is refreshed after."""

    @property
    def budget(self) -> BudgetPanel: ...


class ImportController(QObject):
    """Owns the Import action and the budget's drop target. `finished` carries the list of ImportResults."""

    finished = Signal(list)

    def __init__(self, window: ImportHost) -> None:
        super().__init__(window.widget)
        self.window = window
        self.choose_files: Callable[[], list[str]] = self._ask_for_files
        self.last_message: QMessageBox | None = None
        self._worker = Worker(self)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._imported)
        self._worker.crashed.connect(self._crashed)
        self.action = add_action(
            window.menus.file_exchange, ACTION_NAME, "&Import…", self.trigger, "Ctrl+Shift+I",
            tip="Bring in wire copy, Markdown, saved web pages or ninjs as new drafts (you can also drop files on the budget)",
        )
        for target in (window.budget, window.budget.table.viewport()):
            target.setAcceptDrops(True)
            target.installEventFilter(self)

    @property
    def running(self) -> bool:
        return self._worker.running

    def trigger(self) -> None:
        """The menu entry: choose files, or cancel the import under way."""
        if self.running:
            self.cancel()
            return
        chosen = self.choose_files()
        if chosen:
            self.import_paths([Path(name) for name in chosen])

    def import_paths(self, paths: Sequence[Path]) -> bool:
        """Start importing `paths` in the background; False (and a status message) when that cannot start now."""
        service = self.window.session.service
        if service is None:
            self.window.statusBar().showMessage("The store is still opening; try the import again in a moment.", 5000)
            return False
        if self.running:
            self.window.statusBar().showMessage("An import is already running; wait for it or press Esc to cancel it.", 5000)
            return False
        if not paths:
            return False
        self.action.setText("Cancel &Import")
        self.window.statusBar().showMessage(f"Importing {len(paths)} file{'s' if len(paths) != 1 else ''}…")
        files = list(paths)
        self._worker.start(lambda job: import_each(service, files, progress=lambda *done: job.report(done), cancelled=job.cancelled))
        return True

    def cancel(self) -> None:
        if self.running:
            self._worker.cancel()
            self.window.statusBar().showMessage("Cancelling the import after the current file…")

    def _ask_for_files(self) -> list[str]:
        names, _ = file_dialogs.open_file_names(self.window.widget, "Import Stories", str(Path.home()), FILE_FILTER)
        return names

    def _progressed(self, progress: tuple[ImportResult, int, int]) -> None:
        result, number, total = progress
        self.window.statusBar().showMessage(f"Imported {number} of {total}: {result.path.name}")

    def _imported(self, outcome: tuple[list[ImportResult], str]) -> None:
        results, stopped = outcome
        cancelled = self._worker.cancelled
        self.action.setText("&Import…")
        made = [result for result in results if result.imported]
        skipped = [result for result in results if result.skipped]
        failed = [result for result in results if not result.ok]
        summary = f"Imported {len(made)} {'story' if len(made) == 1 else 'stories'} as drafts"
        if skipped:
            summary += f"; {len(skipped)} file{'s were' if len(skipped) != 1 else ' was'} already imported"
        if failed:
            summary += f"; {len(failed)} file{'s' if len(failed) != 1 else ''} could not be imported"
        if cancelled:
            summary += " (import cancelled)"
        if stopped:
            summary += " (import stopped)"
        self.window.statusBar().showMessage(summary + ".", 8000)
        if made:
            self.window.budget.model.refresh()
        opened = next((result.story for result in made + skipped if result.story is not None), None)
        if opened is not None:
            self.window.open_story(opened.id)
        lines = [stopped] if stopped else []
        lines += [result.error or "" for result in failed]
        lines += [f"{result.path.name}: already imported as “{result.story.headline}” (story {result.story.id}); skipped."
                  for result in skipped if result.story is not None]
        lines += [f"{result.path.name}: {warning}" for result in made for warning in result.warnings]
        icon = QMessageBox.Icon.Warning if lines else QMessageBox.Icon.Information
        lines += [f"{result.path.name}: {result.provenance()}." for result in made if result.found]
        if lines:
            self.last_message = QMessageBox(icon, "Import", summary + ".", QMessageBox.StandardButton.Ok, self.window.widget)
            self.last_message.setObjectName("importReport")
            self.last_message.setInformativeText("\n".join(lines))
            self.last_message.open()
        log.info(
            "import finished: %d made, %d skipped, %d failed, cancelled=%s, stopped=%s",
            len(made), len(skipped), len(failed), cancelled, stopped,
        )
        self.finished.emit(results)

    def _crashed(self) -> None:
        """Something unexpected stopped the import (its traceback is in the log): say so, and let Import start again."""
        self.action.setText("&Import…")
        message = "The import stopped on an unexpected error (the log has the details); the files imported before it are in the budget."
        self.window.statusBar().showMessage(message, 15000)
        self.window.budget.model.refresh()
        log.error("import crashed")
        self.finished.emit([])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept files dragged over the budget, and import them when they are dropped."""
        if isinstance(event, QDropEvent) and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            paths = _local_files(event)
            if paths:
                event.acceptProposedAction()
                if event.type() == QEvent.Type.Drop:
                    self.import_paths(paths)
                return True
        return super().eventFilter(watched, event)


def import_each(
    service: StoryService,
    paths: Sequence[Path],
    *,
    progress: Callable[[ImportResult, int, int], None],
    cancelled: Callable[[], bool],
) -> tuple[list[ImportResult], str]:
    """Runs on the worker: import the files in turn, stopping between files once `cancelled()`.

    Returns the results and, when the store stopped answering, its message (the batch ends there).
    """
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.core.importers import import_files
    from newsdesk.ui.common.store_calls import on_store

    results: list[ImportResult] = []
    for number, path in enumerate(paths, start=1):
        if cancelled():
            break
        try:
            results.extend(on_store(partial(import_files, service.store, service.actor, [path]), service.store))
        except NewsdeskError as error:
            return results, error.message
        progress(results[-1], number, len(paths))
    return results, ""


def _local_files(event: QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def install_import(window: ImportHost) -> ImportController:
    """Add File ▸ Import… (with export, before Quit) and the budget's drop target to `window`; safe to call twice."""
    existing = window.widget.findChild(ImportController)
    return existing if existing is not None else ImportController(window)
