"""File ▸ Import… and dropping files on the budget: drafts made off the UI thread, the first one opened, failures listed."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from newsdesk.ui.features.import_actions import (
    ACTION_NAME,
    ImportController,
    import_each,
    install_import,
)

SAMPLE_PAGE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "ap-belarus-page.txt"
PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture
def importer(window) -> ImportController:
    return install_import(window)


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    good = tmp_path / "belarus.txt"
    good.write_bytes(SAMPLE_PAGE.read_bytes())
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    note = tmp_path / "council.md"
    note.write_text("---\nheadline: Council meets\nsections: [Atlantis]\n---\nThe council met.", encoding="utf-8")
    return [good, empty, note]


def test_import_sits_in_the_file_menu_before_quit_and_installs_once(window, importer):
    menu_actions = [action.objectName() for action in window.menuBar().actions()[0].menu().actions()]
    assert menu_actions.index(ACTION_NAME) < menu_actions.index("quit")
    assert menu_actions.count(ACTION_NAME) == 1
    assert install_import(window) is importer
    assert window.actions_by_name[ACTION_NAME] is importer.action


def test_importing_opens_the_first_draft_and_lists_what_failed(qtbot, window, importer, service, files):
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        assert importer.import_paths(files)
    results = finished.args[0]
    assert [result.ok for result in results] == [True, False, True]
    first = results[0].story
    assert window.session.record.id == first.id
    assert window.editor.toPlainText().startswith("The foreign minister of Belarus")
    model = window.budget.model
    qtbot.waitUntil(lambda: model.row_of(first.id) is not None and model.row_of(results[2].story.id) is not None)
    assert service.get(first.id).owner == service.actor.username
    assert window.statusBar().currentMessage() == "Imported 2 stories as drafts; 1 file could not be imported."
    report = importer.last_message.informativeText().splitlines()
    assert report == ["empty.md: the file is empty.", "council.md: the store has no section “Atlantis”; the draft was filed without it."]
    assert not importer.running and importer.action.text() == "&Import…"


def test_the_menu_entry_asks_for_files(qtbot, importer, files):
    importer.choose_files = lambda: [str(files[2])]
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        importer.action.trigger()
    assert [result.path for result in finished.args[0]] == [files[2]]


def test_dropping_files_on_the_budget_imports_them(qtbot, window, importer, files):
    viewport = window.budget.table.viewport()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files[0]))])
    enter = QDragEnterEvent(
        viewport.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(viewport.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()
    assert [result.ok for result in finished.args[0]] == [True]


def test_text_dragged_without_files_is_not_taken(window, importer):
    viewport = window.budget.table.viewport()
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(
        viewport.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    enter.ignore()
    QApplication.sendEvent(viewport, enter)
    assert not enter.isAccepted()
    assert not importer.running


def test_a_cancelled_import_stops_between_files(service, files):
    asked: list[int] = []
    results, stopped = import_each(
        service, files, progress=lambda result, number, total: asked.append(number), cancelled=lambda: bool(asked)
    )
    assert [result.path for result in results] == [files[0]] and asked == [1] and stopped == ""


def test_cancel_in_the_window_stops_the_import_between_files(qtbot, window, importer, files, monkeypatch):
    """The menu entry, pressed while the first file is imported, ends the batch with that file alone."""
    from newsdesk.core import importers

    real = importers.import_files
    started, cancelled = threading.Event(), threading.Event()

    def first_file_waits_for_cancel(store, actor, paths):
        if paths[0] == files[0]:
            started.set()
            assert cancelled.wait(10)
        return real(store, actor, paths)

    monkeypatch.setattr(importers, "import_files", first_file_waits_for_cancel)
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        assert importer.import_paths(files)
        assert importer.action.text() == "Cancel &Import"
        assert started.wait(10)
        importer.trigger()
        cancelled.set()
    assert [result.path for result in finished.args[0]] == [files[0]]
    assert "(import cancelled)" in window.statusBar().currentMessage()
    assert not importer.running and importer.action.text() == "&Import…"


def test_no_import_before_the_store_is_open(qtbot, window_settings, tmp_path):
    from newsdesk.ui.window.main_window import MainWindow

    bare = MainWindow(window_settings, autosave_ms=60_000)
    qtbot.addWidget(bare)
    controller = install_import(bare)
    assert not controller.import_paths([tmp_path / "a.txt"])
    assert "still opening" in bare.statusBar().currentMessage()


def test_importing_the_same_files_again_lists_them_as_skipped(qtbot, window, importer, service, files):
    with qtbot.waitSignal(importer.finished, timeout=20_000) as first:
        importer.import_paths(files)
    made = {result.path: result.story.id for result in first.args[0] if result.ok}
    window.open_story(service.create("Something else").id)
    with qtbot.waitSignal(importer.finished, timeout=20_000) as second:
        assert importer.import_paths(files)
    results = second.args[0]
    assert [(result.skipped, result.ok) for result in results] == [(True, True), (False, False), (True, True)]
    assert {result.path: result.story.id for result in results if result.ok} == made
    assert window.statusBar().currentMessage() == (
        "Imported 0 stories as drafts; 2 files were already imported; 1 file could not be imported."
    )
    assert window.session.record.id == made[files[0]]  # nothing new, so the story the first file matched is opened
    report = importer.last_message.informativeText().splitlines()
    assert report == ["empty.md: the file is empty.",
                      f"belarus.txt: already imported as “{service.get(made[files[0]]).headline}” (story {made[files[0]]}); skipped.",
                      f"council.md: already imported as “Council meets” (story {made[files[2]]}); skipped."]
    listed = subprocess.run([sys.executable, "-m", "newsdesk", "--database", service.store.url,
                             "stories", "--json", "--search", "Council meets"],
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [made[files[2]]]


def test_a_store_that_stops_answering_ends_the_import_with_what_was_done(qtbot, window, importer, files, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from newsdesk.core import importers

    real = importers._imported_from

    def imported_from(service, digest):
        if digest == importers.hashlib.sha256(files[2].read_bytes()).hexdigest():
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return real(service, digest)

    monkeypatch.setattr(importers, "_imported_from", imported_from)
    with qtbot.waitSignal(importer.finished, timeout=20_000) as finished:
        importer.import_paths(files)
    assert [result.path for result in finished.args[0]] == files[:2]
    assert not importer.running and importer.action.text() == "&Import…"
    assert window.statusBar().currentMessage().endswith("could not be imported (import stopped).")
    assert importer.last_message.informativeText().splitlines()[0].startswith(
        "The store stopped answering at council.md (database is locked)"
    )


def test_the_report_says_where_each_piece_of_a_saved_page_came_from(qtbot, window, importer, tmp_path):
    page = tmp_path / "blackouts.html"
    page.write_bytes(gzip.decompress((PAGES / "nytimes.com.blackouts.html.gz").read_bytes()))
    with qtbot.waitSignal(importer.finished, timeout=20_000):
        assert importer.import_paths([page])
    [line] = importer.last_message.informativeText().splitlines()
    assert line.startswith("blackouts.html: ") and "byline from " in line and "date 2020-08-16 from " in line
