"""Start-up of the window: the story on screen first, then the store, so the reporter can type at once.

`run` reads the story it opens through the light path (`core.store.glance`:
the standard library's sqlite3, read-only) and shows the window with it, the
caret in the text. Once the window is first exposed it adds the menus' features
and opens the store on a worker thread (SQLAlchemy, SQLModel and the schema
check load there, not on the UI thread); back on the UI thread it adds the
workflow controls, signs the user in, attaches the store, which takes over what
was typed meanwhile, and fills the budget. A store the light path cannot read
(PostgreSQL, a schema to upgrade) shows an empty window that says in the status
bar that it is connecting. With NEWSDESK_STARTUP_REPORT set, the times from
process start to the first expose and to an attached store are written to
stderr for the start-up benchmark.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from newsdesk import APP_NAME
from newsdesk.config import database_url
from newsdesk.core.errors import NewsdeskError
from newsdesk.logging_setup import install_excepthook, setup_logging
from newsdesk.ui.common.identity import apply_identity, window_settings
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.shell.single_instance import (
    InstanceError,
    SingleInstance,
    launch_request,
)
from newsdesk.ui.window.main_window import MainWindow

if TYPE_CHECKING:
    from newsdesk.core.store.db import Store
    from newsdesk.core.store.glance import StoryGlance

log = logging.getLogger(__name__)

STARTUP_REPORT_ENV = "NEWSDESK_STARTUP_REPORT"
EXPOSE_WAIT_MS = 1000
"""The store opens once the window is on screen, or after this long if the window is never exposed (minimised)."""


def settings() -> QSettings:
    """The window's own settings (geometry, docks, last story, font size) in the config folder."""
    return window_settings()


SWITCH_INTERVAL_S = 0.001
"""How long a worker (a preview render, the checks, a budget page) may keep the interpreter while the UI thread waits.

Python's default is 5 ms, and a keystroke takes the interpreter several times
(the key, the highlighter, the spelling pass, the paint): with a render running,
those waits were the worst keystrokes' latency. 1 ms keeps them short.
"""


def application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    apply_identity(app)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return app


def show_first_story(window: MainWindow, database: str | None, user: str | None, story: str | None) -> StoryGlance | None:
    """Put the story the window opens (`story`, else the one open last time) in the editor from the light path.

    The editor takes typing when the person who will be signed in may edit the
    story and nobody else holds its lock; otherwise it shows the text read-only
    until the store decides. None (and nothing shown) when the light path cannot read it.
    """
    from newsdesk.core.rules import workflow
    from newsdesk.core.rules.accounts import os_username
    from newsdesk.core.rules.domain import Role, Status
    from newsdesk.core.store.glance import read_story

    wanted = story if story is not None else window.settings.value("story/last")
    if wanted in (None, ""):
        return None
    name = user or os_username()
    glance = read_story(database_url(database), str(wanted), name)
    if glance is None:
        return None
    editable = (
        glance.reader_role in {role.value for role in Role}
        and glance.status in {status.value for status in Status}
        and glance.lock_holder in (None, name)
        and workflow.edit_refusal(Status(glance.status), Role(glance.reader_role), glance.owner == name) is None
    )
    window.show_glance(glance, editable=editable)
    return glance


def load_store(database: str | None) -> Store:
    """Open the store and load the modules the window needs of core (run on a worker thread, off the UI thread)."""
    from newsdesk.core.services import sections, stories  # noqa: F401 (loaded here so that attaching them costs the UI nothing)
    from newsdesk.core.services.firstrun import open_and_seed

    return open_and_seed(database)


def connect_store(window: MainWindow, database: str | None, user: str | None, story: str | None) -> None:
    """Open the store here, on the calling thread, sign in and hand the window its service (see `attach_store`)."""
    attach_store(window, load_store(database), user, story)


def attach_store(window: MainWindow, store: Store, user: str | None, story: str | None) -> None:
    """Sign in and hand the window its service, on the UI thread.

    Everything loaded by then (SQLAlchemy, Qt wrappers, the first budget page)
    lives as long as the app, so it is moved out of the garbage collector's
    reach (`gc.freeze`): a full collection while typing then takes a few
    milliseconds instead of tens.
    """
    from newsdesk.core.services.sections import list_sections
    from newsdesk.core.services.stories import StoryService
    from newsdesk.ui.dialogs.sign_in import sign_in_for_window

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
    report = os.environ.get(STARTUP_REPORT_ENV)
    if report:
        window.first_exposed.connect(lambda: _report("exposed"))
    if show_first_story(window, database, user, story) is None:
        window.statusBar().showMessage(f"Connecting to the store at {_shown_url(database)}…")
    window.show()

    opener = Worker(window)
    started = False

    def start() -> None:
        nonlocal started
        if started:
            return
        started = True
        opener.start(lambda _job: _opened(database))
        install_features(window)

    def opened(outcome: object) -> None:
        if isinstance(outcome, _Refused):
            fail(outcome.error)
            return
        from newsdesk.ui.features.workflow_actions import install_workflow

        install_workflow(window)
        try:
            attach_store(window, cast("Store", outcome), user, story)
        except NewsdeskError as error:
            fail(error)
            return
        if report:
            _report("ready")

    def fail(error: NewsdeskError) -> None:
        log.error("Cannot start: %s", error)
        QMessageBox.critical(window, APP_NAME, str(error))
        app.exit(error.exit_code)

    def crashed() -> None:
        QMessageBox.critical(window, APP_NAME, "The store could not be opened; the details are in the log file.")
        app.exit(1)

    opener.succeeded.connect(opened)
    opener.crashed.connect(crashed)
    window.first_exposed.connect(lambda: QTimer.singleShot(0, start))
    QTimer.singleShot(EXPOSE_WAIT_MS, start)
    try:
        return app.exec()
    finally:
        instance.release()


def install_features(window: MainWindow) -> None:
    """The menus' import, spelling and export features, the live budget and notices: added once the window is on screen."""
    from newsdesk.ui.features.export_actions import install_export
    from newsdesk.ui.features.import_actions import install_import
    from newsdesk.ui.features.notices import install_notices
    from newsdesk.ui.features.spelling_actions import install_spelling

    install_import(window)
    install_spelling(window)
    install_export(window)
    install_notices(window)


@dataclass(frozen=True)
class _Refused:
    """Why the store did not open, carried whole (the worker's `failed` would keep only the message, not the exit code)."""

    error: NewsdeskError


def _opened(database: str | None) -> object:
    """The worker's side of start-up: the open store, or why not."""
    try:
        return load_store(database)
    except NewsdeskError as error:
        return _Refused(error)


def _shown_url(database: str | None) -> str:
    url = database_url(database)
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if "@" in rest else url


def _report(stage: str) -> None:
    print(f"newsdesk-startup {stage} {time.time():.6f}", file=sys.stderr, flush=True)  # noqa: T201 (timings a benchmark reads)
