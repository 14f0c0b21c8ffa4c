"""UI tests run on SQLite only: engine differences are the core tests' business, not the widgets'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def store_url(home: Path) -> Iterator[str]:
    """Overrides the suite's two-engine `store_url`: one SQLite file per test."""
    yield f"sqlite:///{home / 'data' / 'test.sqlite'}"


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
