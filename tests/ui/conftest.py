"""UI tests run on SQLite only: engine differences are the core tests' business, not the widgets'.

Each test's store can be switched read-only (`store.read_only.on()`, from `store_faults`);
`short_busy_wait` makes a busy store answer in 0.2 s (a module asks for it with
`pytestmark = pytest.mark.usefixtures("short_busy_wait")`, so it is set before the store opens).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_faults import ReadOnlySwitch


@pytest.fixture
def store_url(home: Path) -> Iterator[str]:
    """Overrides the suite's two-engine `store_url`: one SQLite file per test."""
    yield f"sqlite:///{home / 'data' / 'test.sqlite'}"


@pytest.fixture
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsdesk.core.store.engines.SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def store(store):
    """The suite's store, switchable to read-only: the switch listens before any of the window's threads connect."""
    store.read_only = ReadOnlySwitch(store)
    return store


@pytest.fixture
def window_settings(home: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(home / "config" / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, service, window_settings):
    """The main window on the test store, autosave slowed right down so tests save on purpose."""
    from newsdesk.ui.window.main_window import MainWindow

    main = MainWindow(window_settings, autosave_ms=60_000)
    qtbot.addWidget(main)
    main.attach(service, [])
    main.show()
    qtbot.waitExposed(main)
    return main
