"""The Checks panel: live results as the reporter types, off the UI thread, saying what blocks the next step."""

from __future__ import annotations

import time

import pytest

from newsdesk.core.rules.checks import CheckSettings
from newsdesk.core.services import settings
from newsdesk.core.services.stories import StoryService
from newsdesk.ui.docks.checks_panel import ChecksPanel, story_as_edited
from newsdesk.ui.editor.story_session import StorySession

BODY = " ".join(["The harbour board met on Monday and agreed the plan."] * 6)


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


@pytest.fixture
def panel(session, qtbot) -> ChecksPanel:
    widget = ChecksPanel(session)
    qtbot.addWidget(widget)
    return widget


def texts(panel: ChecksPanel) -> list[str]:
    return [panel.findings.item(row).text() for row in range(panel.findings.count())]


def test_an_empty_draft_shows_what_blocks_submit(qtbot, panel, session, service):
    story = service.create("Harbour plan approved")
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.open(story.id)
    assert panel.heading.text().startswith("<b>Submit is blocked</b> by 1 error.")
    assert texts(panel) == ["✖  The story has no body."]


def test_results_follow_typing_before_anything_is_saved(qtbot, panel, session, service):
    story = service.create("Harbour plan approved", body=BODY)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.open(story.id)
    assert panel.heading.text() == "Ready to submit."
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.edit("body", BODY + "\n\nThe vote was TK to TK.")
    assert texts(panel) == ["✖  The body holds the placeholder “TK” (line 3)."]
    assert session.is_dirty, "nothing was saved: the panel judged the unsaved text"
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.edit("body", BODY)
    assert panel.heading.text() == "Ready to submit."


def test_a_burst_of_typing_is_judged_once_after_the_pause(qtbot, panel, session, service):
    story = service.create("Harbour plan approved", body=BODY)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.open(story.id)
    reports = []
    panel.checked.connect(reports.append)
    started = time.perf_counter()
    for number in range(40):
        session.edit("body", BODY + " word" * number)
    assert time.perf_counter() - started < 0.5, "an edit only restarts a timer"
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=5000)
    with qtbot.assertNotEmitted(panel.checked, wait=2 * 300):
        pass
    assert len(reports) == 1


def test_the_panel_reads_the_newsroom_settings(qtbot, panel, session, service, store, admin):
    settings.put(store, admin, "min_body_words", "100")
    story = service.create("Harbour plan approved", body=BODY)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.open(story.id)
    assert texts(panel) == ["✖  The story has 60 words; the newsroom asks for at least 100."]


def test_unsaved_metadata_is_judged_as_typed(service):
    story = service.create("Harbour plan approved", body=BODY, sections=["World"])
    edited = story_as_edited(story, {"byline": "Ana Silva", "keywords": "port, vote", "sections": ["Europe", "World"]}, CheckSettings())
    assert (edited.byline, edited.keywords, edited.sections) == ("Ana Silva", ("port", "vote"), ("Europe", "World"))


def test_the_window_docks_the_panel_beside_the_links(qtbot, window, service):
    panel = window.checks_dock.widget()
    assert isinstance(panel, ChecksPanel) and window.checks_dock.objectName() == "checksDock"
    story = service.create("Harbour plan approved TK", body=BODY)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        window.open_story(story.id)
    assert texts(panel) == ["✖  The headline holds the placeholder “TK”."]


def test_submit_in_the_window_says_what_blocks_it(qtbot, window, service):
    from newsdesk.ui.features.workflow_actions import install_workflow

    controls = install_workflow(window)
    story = service.create("Harbour plan approved", body="")
    window.open_story(story.id)
    assert controls.take_step("submit") is None
    assert window.statusBar().currentMessage().startswith(
        "Cannot submit “Harbour plan approved”: 1 check failed. The story has no body.")
    assert service.get(story.id).status == "draft"


def test_a_session_that_outlives_its_panel_saves_and_edits_without_reaching_it(qtbot, session, service, monkeypatch):
    """The window's session can outlive a panel (a closed window's docks go first): its signals must not call into it."""
    from shiboken6 import Shiboken

    panel = ChecksPanel(session)
    story = service.create("Harbour plan approved", body=BODY)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        session.open(story.id)
    Shiboken.delete(panel)
    caught: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, trace: caught.append(error))
    session.edit("body", BODY + " More.")
    assert session.save_now()
    assert caught == []
