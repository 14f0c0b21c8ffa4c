"""Start-up of the window: the window first, then the store, so the reporter sees something at once.

`run` shows the window, then, once it is first exposed, adds the workflow
controls (their lock keeper loads the store's modules), opens the store, signs
the user in and fills the budget behind the visible window. With
NEWSDESK_STARTUP_REPORT set, the times from process start to the first expose
and to a filled budget are written to stderr for the start-up benchmark.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from newsdesk import APP_NAME
from newsdesk.config import database_url
from newsdesk.core.errors import NewsdeskError
from newsdesk.logging_setup import install_excepthook, setup_logging
from newsdesk.ui.common.identity import apply_identity, window_settings
from newsdesk.ui.features.export_actions import install_export
from newsdesk.ui.features.import_actions import install_import
from newsdesk.ui.features.spelling_actions import install_spelling
from newsdesk.ui.features.workflow_actions import install_workflow
from newsdesk.ui.shell.single_instance import (
    InstanceError,
    SingleInstance,
    launch_request,
)
from newsdesk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

STARTUP_REPORT_ENV = "NEWSDESK_STARTUP_REPORT"
EXPOSE_WAIT_MS = 1000
"""The store opens once the window is on screen, or after this long if the window is never exposed (minimised)."""


def settings() -> QSettings:
    """The window's own settings (geometry, docks, last story, font size) in the config folder."""
    return window_settings()


def application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    apply_identity(app)
    return app


def connect_store(window: MainWindow, database: str | None, user: str | None, story: str | None) -> None:
    """Open the store, sign in and hand the window its service; imported here to keep them off the first paint.

    Everything loaded by then (SQLAlchemy, Qt wrappers, the first budget page)
    lives as long as the app, so it is moved out of the garbage collector's
    reach (`gc.freeze`): a full collection while typing then takes a few
    milliseconds instead of tens.
    """
    from newsdesk.core.services.firstrun import open_and_seed
    from newsdesk.core.services.sections import list_sections
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.dialogs.sign_in import sign_in_for_window

    store = open_and_seed(database)
    actor = sign_in_for_window(store, user, window)
    sections = [(node.name, node.depth) for node in list_sections(store) if not node.is_home]
    window.attach(StoryService(store, actor), sections, story)
    gc.freeze()
    window.statusBar().showMessage(f"Signed in as {actor.label} · {store.url}", 5000)
    window.destroyed.connect(store.close)


def run(database: str | None = None, user: str | None = None, story: str | None = None) -> int:
    """The `newsdesk` command with no sub-command: show the window and run until it is closed."""
    setup_logging()
    install_excepthook()
    app = application()
    instance = SingleInstance(database_url(database), user)
    try:
        if not instance.claim():
            instance.send(launch_request(story))
            log.info("Handed the request to the Newsdesk already open on this store")
            return 0
    except InstanceError as error:
        print(f"newsdesk: {error}", file=sys.stderr)  # noqa: T201 (no window yet: the start-up says why on stderr, as the command line does)
        return error.exit_code
    window = MainWindow(settings())
    instance.serve(window, window.open_story)
    if instance.recovered_message:
        window.statusBar().showMessage(instance.recovered_message, 15000)
    install_import(window)
    install_spelling(window)
    install_export(window)
    report = os.environ.get(STARTUP_REPORT_ENV)
    if report:
        window.first_exposed.connect(lambda: _report("exposed"))
    window.show()

    started = False

    def start() -> None:
        nonlocal started
        if started:
            return
        started = True
        install_workflow(window)
        try:
            connect_store(window, database, user, story)
        except NewsdeskError as error:
            log.error("Cannot start: %s", error)
            QMessageBox.critical(window, APP_NAME, str(error))
            app.exit(error.exit_code)
            return
        if report:
            _report("ready")

    window.first_exposed.connect(lambda: QTimer.singleShot(0, start))
    QTimer.singleShot(EXPOSE_WAIT_MS, start)
    try:
        return app.exec()
    finally:
        instance.release()


def _report(stage: str) -> None:
    print(f"newsdesk-startup {stage} {time.time():.6f}", file=sys.stderr, flush=True)  # noqa: T201 (timings a benchmark reads)
