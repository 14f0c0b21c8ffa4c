"""The store failing under the window's other paths (budget, workflow, locks, import, export): a message, never a traceback.

Each test types into the open story first and checks that the text is still
there, unsaved, afterwards. pytest-qt fails a test on any exception raised in
a slot, so "no traceback" is checked by the test passing at all; the messages
are `core.store.failures`' sentences, as the command line prints them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from store_faults import held_exclusively

from newsdesk.core.errors import StoreBusy
from newsdesk.ui.common import file_dialogs
from newsdesk.ui.features.export_actions import install_export
from newsdesk.ui.features.import_actions import install_import
from newsdesk.ui.features.workflow_actions import install_workflow

SAMPLE_PAGE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "ap-belarus-page.txt"


pytestmark = pytest.mark.usefixtures("short_busy_wait")


def type_unsaved(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, text)
    assert window.session.is_dirty


def assert_text_kept(window, ending: str) -> None:
    assert window.session.is_dirty and window.editor.toPlainText().endswith(ending)


def stories_seen_by_another_process(home: Path, url: str) -> str:
    env = {**os.environ, "NEWSDESK_HOME": str(home), "USER": "editor", "LOGNAME": "editor"}
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", url, "stories", "--json"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def opened(qtbot, window, service):
    story = service.create("Harbour strike", body="Start.")
    other = service.create("Ferry timetable", body="Boats.")
    refreshed(qtbot, window)
    window.open_story(story.id)
    return story, other


def refreshed(qtbot, window) -> None:
    """The budget read again (on its worker) and in."""
    with qtbot.waitSignal(window.budget.model.loaded, timeout=20_000):
        window.budget.model.refresh()


def test_a_budget_refresh_on_a_store_another_program_holds_says_busy_and_keeps_the_rows(qtbot, window, store, opened):
    type_unsaved(qtbot, window, " More.")
    rows = window.budget.model.rowCount()
    with held_exclusively(store, readers_too=True):
        with qtbot.waitSignal(window.budget.model.failed, timeout=20_000):  # read on the budget's worker
            window.budget.model.refresh()
        message = window.statusBar().currentMessage()
        assert "is busy: another program is holding it" in message, message
        assert window.budget.model.rowCount() == rows
        window.statusBar().clearMessage()
        window.budget.search.setText("ferry")
        qtbot.waitUntil(lambda: "is busy" in window.statusBar().currentMessage(), timeout=20_000)
        assert window.budget.model.rowCount() == rows
    assert_text_kept(window, "Start. More.")
    refreshed(qtbot, window)
    assert window.budget.model.rowCount() == 1  # the store back, the filter applies


def test_a_workflow_step_from_review_on_a_busy_store_is_a_store_error_the_review_window_shows(qtbot, window, store, service, opened):
    controls = install_workflow(window)
    _, other = opened
    type_unsaved(qtbot, window, " More.")
    with held_exclusively(store):
        with pytest.raises(StoreBusy, match="is busy"):
            controls.perform(other.id, other.version, lambda svc, version: svc.transition(other.id, "submit", expected_version=version))
        review = controls.open_review()
        assert review is not None
    assert_text_kept(window, "Start. More.")
    assert service.get(other.id).status == "draft"


def test_opening_the_review_window_when_the_store_cannot_be_read_says_so(qtbot, window, store, opened):
    controls = install_workflow(window)
    type_unsaved(qtbot, window, " More.")
    with held_exclusively(store, readers_too=True):
        assert controls.open_review() is None
        assert "is busy" in window.statusBar().currentMessage()
    assert_text_kept(window, "Start. More.")


def test_the_lock_on_a_read_only_store_is_said_and_the_story_stays_open(qtbot, window, store, service, opened):
    controls = install_workflow(window)
    _, other = opened
    with store.read_only.on():
        window.open_story(other.id)
        assert "edit lock could not be taken" in window.statusBar().currentMessage()
        assert "is read-only" in window.statusBar().currentMessage()
        assert window.session.record.id == other.id and window.editor.toPlainText() == "Boats."
        type_unsaved(qtbot, window, " Late.")
        controls.keeper.heartbeat()
        qtbot.waitUntil(lambda: not controls.keeper.beating)
    assert_text_kept(window, "Boats. Late.")


def test_a_lock_heartbeat_on_a_busy_store_says_so_and_tries_again(qtbot, window, store, opened):
    controls = install_workflow(window)
    story, _ = opened
    controls.keeper.track(window.session.record)
    assert controls.keeper.held_story == story.id
    type_unsaved(qtbot, window, " More.")
    with held_exclusively(store):
        controls.keeper.heartbeat()
        qtbot.waitUntil(lambda: not controls.keeper.beating, timeout=30_000)
        assert "is busy" in window.statusBar().currentMessage()
    assert controls.keeper.held_story == story.id
    controls.keeper.heartbeat()
    qtbot.waitUntil(lambda: not controls.keeper.beating)
    assert controls.keeper.state is not None and controls.keeper.state.mine
    assert_text_kept(window, "Start. More.")


def test_an_import_into_a_read_only_store_says_so_and_ends(qtbot, window, store, store_url, home, tmp_path, opened):
    importer = install_import(window)
    page = tmp_path / "belarus.txt"
    page.write_bytes(SAMPLE_PAGE.read_bytes())
    type_unsaved(qtbot, window, " More.")
    window.session.save_now("autosave")  # the import saves nothing of the open story; what is typed next stays typed
    type_unsaved(qtbot, window, " Again.")
    with store.read_only.on(), qtbot.waitSignal(importer.finished, timeout=30_000) as finished:
        assert importer.import_paths([page])
    assert finished.args[0] == [] or not any(result.imported for result in finished.args[0])
    assert not importer.running and importer.action.text() == "&Import…"
    assert "readonly database" in importer.last_message.informativeText()  # the importer's own sentence, with the engine's words
    assert_text_kept(window, "Again.")
    assert "Belarus" not in stories_seen_by_another_process(home, store_url)


def test_an_import_that_crashes_ends_and_can_start_again(qtbot, window, tmp_path, monkeypatch, opened):
    importer = install_import(window)
    page = tmp_path / "belarus.txt"
    page.write_bytes(SAMPLE_PAGE.read_bytes())

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("newsdesk.core.importers.import_files", broken)
    type_unsaved(qtbot, window, " More.")
    with qtbot.capture_exceptions() as uncaught, qtbot.waitSignal(importer.finished, timeout=30_000):
        assert importer.import_paths([page])
    assert [kind for kind, *_ in uncaught] == [ZeroDivisionError]  # it still reaches the log's excepthook
    assert not importer.running and importer.action.text() == "&Import…"
    assert "unexpected error" in window.statusBar().currentMessage()
    assert_text_kept(window, "Start. More.")
    monkeypatch.undo()
    with qtbot.waitSignal(importer.finished, timeout=30_000) as again:
        assert importer.import_paths([page])
    assert again.args[0][0].imported


def test_an_export_on_a_store_that_cannot_be_read_says_busy_not_unexpected(qtbot, window, store, tmp_path, monkeypatch, opened):
    exporter = install_export(window)
    monkeypatch.setattr(file_dialogs, "existing_folder", lambda *args: str(tmp_path / "site"))
    (tmp_path / "site").mkdir()
    with held_exclusively(store, readers_too=True), qtbot.waitSignal(exporter.failed, timeout=30_000) as failed:
        exporter.site_action.trigger()
    assert "is busy" in failed.args[0] and "Traceback" not in exporter.last_message.text()
    assert exporter.site_action.isEnabled() and not exporter.running
    with held_exclusively(store, readers_too=True), qtbot.waitSignal(exporter.failed, timeout=30_000) as page_failed:
        exporter.page_action.trigger()
    assert "is busy" in page_failed.args[0]
    type_unsaved(qtbot, window, " More.")
    with held_exclusively(store, readers_too=True):
        exporter.page_action.trigger()
        assert "could not be saved, so nothing was exported" in window.statusBar().currentMessage()
    assert_text_kept(window, "Start. More.")


def test_the_budget_keeps_its_rows_on_enter_when_a_later_page_fails(qtbot, window, store, service, monkeypatch, opened):
    """fetchMore on a store that cannot be read: nothing inserted, said once, no traceback."""
    monkeypatch.setattr("newsdesk.ui.docks.budget.PAGE_SIZE", 1)
    window.budget_dock.hide()  # a hidden view asks for no more rows by itself, so the one read below is the test's
    refreshed(qtbot, window)
    qtbot.waitUntil(lambda: not window.budget.model.busy and not window.budget.counting)
    assert window.budget.model.rowCount() == 1 and window.budget.model.canFetchMore()
    window.budget_dock.show()
    with held_exclusively(store, readers_too=True):
        with qtbot.waitSignal(window.budget.model.failed, timeout=20_000):  # read on the budget's worker
            window.budget.model.fetchMore()
        assert "is busy" in window.statusBar().currentMessage()
    assert window.budget.model.rowCount() == 1
    window.budget.table.setFocus()
    qtbot.keyClick(window.budget.table, Qt.Key.Key_Down)


def test_the_preview_on_a_store_that_cannot_be_read_renders_with_the_default_settings(qtbot, window, store, opened):
    """The preview reads the site's settings on its worker; a busy store gives the defaults, not a crashed worker."""
    from newsdesk.core.export.preview import DEFAULT_SETTINGS
    from newsdesk.ui.window.main_window import _site_settings

    qtbot.waitUntil(lambda: "Start." in window.preview.toPlainText(), timeout=20_000)
    with held_exclusively(store, readers_too=True):
        assert _site_settings(store) == DEFAULT_SETTINGS
        type_unsaved(qtbot, window, " Typed while the store was held.")
        qtbot.waitUntil(lambda: "Typed while the store was held." in window.preview.toPlainText(), timeout=20_000)
    assert_text_kept(window, "Start. Typed while the store was held.")


def test_a_new_story_on_a_read_only_store_is_a_message_and_the_open_text_is_kept(
    qtbot, window, store, store_url, home, monkeypatch, opened
):
    from PySide6.QtWidgets import QMessageBox

    from newsdesk.ui.dialogs.new_story import NewStoryDialog

    warned: list[str] = []
    monkeypatch.setattr(NewStoryDialog, "exec", lambda _self: True)
    monkeypatch.setattr(NewStoryDialog, "headline", lambda _self: "Tide tables")
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warned.append(text))
    type_unsaved(qtbot, window, " More.")
    with store.read_only.on():
        window.new_story()
    assert len(warned) == 1 and "is read-only" in warned[0], warned
    assert_text_kept(window, "Start. More.")
    assert "Tide tables" not in stories_seen_by_another_process(home, store_url)
