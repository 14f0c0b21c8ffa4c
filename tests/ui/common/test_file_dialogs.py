"""File dialogs never open the files they list, so the window and the command line share a store and lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from newsdesk import config
from newsdesk.ui.common import file_dialogs
from newsdesk.ui.features.export_actions import install_export


@pytest.fixture
def store_url(home: Path) -> Iterator[str]:
    """The default store, where the app keeps it (overrides the UI suite's test file)."""
    yield config.database_url()


def newsdesk(*argv: str) -> str:
    """The command line as a separate process on the default store; its stdout."""
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], check=False, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def stored(ref: int, field: str) -> object:
    return json.loads(newsdesk("story", "show", "--json", str(ref)))[field]


def test_listing_the_stores_folder_while_the_command_line_writes_loses_nothing(qtbot, window, service, store):
    """Issue 12, item 1: File ▸ Export Site… lists the data folder (and the user opens the store's own folder)."""
    exporter = install_export(window)
    story = service.create("Harbour strike ends", body="First draft.")
    other = service.create("Council meets", body="")
    window.session.open(story.id)
    window.session.edit("body", "Written before the dialog.")
    assert window.session.save_now()
    folders = [str(config.paths().data), str(store.path.parent)]
    loaded: list[str] = []
    listed: list[str] = []

    def browse_then_run_the_command_line() -> None:
        dialog = next(widget for widget in QApplication.topLevelWidgets() if isinstance(widget, QFileDialog) and widget.isVisible())
        model = dialog.findChild(QFileSystemModel)
        model.directoryLoaded.connect(loaded.append)
        for folder in folders:
            dialog.setDirectory(folder)
            qtbot.waitUntil(lambda folder=folder: folder in loaded, timeout=10_000)
            listed.append(folder)
        newsdesk("story", "set", str(other.id), "summary=Set from a script while the dialog was open.")
        dialog.reject()

    QTimer.singleShot(0, browse_then_run_the_command_line)
    exporter.site_action.trigger()
    assert listed == folders

    window.session.edit("body", "Written after the dialog.")
    assert window.session.save_now()
    newsdesk("story", "set", str(other.id), "byline=By a later script")
    window.close()
    store.close()

    assert stored(story.id, "body") == "Written after the dialog."
    assert stored(other.id, "summary") == "Set from a script while the dialog was open."
    assert stored(other.id, "byline") == "By a later script"
    assert "is sound" in newsdesk("db", "check")


def test_every_dialog_is_qts_own_with_the_name_only_icon_provider(qtbot, home: Path):
    dialog = file_dialogs.file_dialog(None, "Pick", str(home))
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.testOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
    assert isinstance(dialog.iconProvider(), file_dialogs.NameOnlyIconProvider)


def test_icons_and_types_come_from_the_name(qtbot, tmp_path: Path):
    provider = file_dialogs.icon_provider()
    (tmp_path / "folder").mkdir()
    (tmp_path / "newsdesk.sqlite-wal").write_bytes(b"\x37\x7f\x06\x82")
    (tmp_path / "story.md").write_text("# Title\n")
    assert provider.type(QFileInfo(str(tmp_path / "folder"))) == "Folder"
    assert provider.type(QFileInfo(str(tmp_path / "newsdesk.sqlite-wal"))) == "SQLITE-WAL file"
    assert provider.type(QFileInfo(str(tmp_path / "story.md"))) == "MD file"
    assert not provider.icon(QFileInfo(str(tmp_path / "story.md"))).isNull()


def test_the_import_and_export_dialogs_go_through_file_dialogs():
    """A QFileDialog anywhere else in the window would sniff files again: grep the package."""
    package = Path(file_dialogs.__file__).parent
    users = sorted(path.name for path in package.rglob("*.py") if "QFileDialog" in path.read_text(encoding="utf-8"))
    assert users == ["file_dialogs.py"]
