"""The docks that read the store on a worker (history, checks) say a store failure in a sentence, never a traceback.

pytest-qt fails a test on any exception raised in a slot or left to the
excepthook by a worker, so "no traceback" is checked by the test passing at all.
"""

from __future__ import annotations

import pytest
from store_faults import held_exclusively

from newsdesk.ui.docks.checks_panel import ChecksPanel
from newsdesk.ui.features.workflow_actions import install_workflow

pytestmark = pytest.mark.usefixtures("short_busy_wait")


@pytest.fixture
def opened(qtbot, window, service):
    story = service.create("Ferry talks resume", body="The talks resumed on Monday.")
    service.update(story.id, {"body": "The talks resumed on Tuesday."}, expected_version=story.version, reason="save")
    controls = install_workflow(window)
    with qtbot.waitSignal(controls.history.loaded, timeout=20_000):
        window.open_story(story.id)
    return controls.history


def test_history_on_a_busy_store_says_busy_and_reads_again_after(qtbot, store, opened):
    pane = opened
    with held_exclusively(store, readers_too=True):
        with qtbot.waitSignal(pane._loader.failed, timeout=20_000):
            pane.reload()
        assert "is busy" in pane.message.text(), pane.message.text()
        with qtbot.waitSignal(pane._differ.failed, timeout=20_000):
            pane.select(1, 2)
        assert "is busy" in pane.message.text(), pane.message.text()
    with qtbot.waitSignal(pane.compared, timeout=20_000):
        pane.select(1, 2)
    assert "Tuesday" in pane.diff.toPlainText()


def test_the_checks_panel_judges_by_the_last_settings_and_says_they_could_not_be_read(qtbot, window, store, opened):
    panel = window.checks_dock.widget()
    assert isinstance(panel, ChecksPanel)
    with held_exclusively(store, readers_too=True):
        with qtbot.waitSignal(panel.checked, timeout=20_000):
            panel.reload_settings()
        assert "settings could not be read" in panel.heading.text() and "is busy" in panel.heading.text()
        assert panel.heading.text().startswith(("<b>Submit is blocked</b>", "Ready to submit")), "still judged"
    with qtbot.waitSignal(panel.checked, timeout=20_000):
        panel.reload_settings()
    assert "could not be read" not in panel.heading.text()
