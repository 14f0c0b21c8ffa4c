"""The skeleton of the story docks: follows the open story, ignores saves of others, turns read-only when refused."""

from __future__ import annotations

import pytest

from newsdesk.core.records import StoryRecord
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.stories import StoryService
from newsdesk.ui.docks.panel import StoryPanel
from newsdesk.ui.editor.story_session import StorySession


class Recorder(StoryPanel):
    """A panel that only writes down what the skeleton asked of it."""

    def __init__(self, session: StorySession) -> None:
        super().__init__(session, "recorder", "Recorder")
        self.calls: list[tuple[str, object]] = []

    def _fill(self, record: StoryRecord) -> None:
        self.calls.append(("fill", record.headline))

    def _refresh(self, record: StoryRecord) -> None:
        self.calls.append(("refresh", record.headline))

    def _set_editable(self, editable: bool) -> None:
        self.calls.append(("editable", editable))

    def _field_refused(self, name: str, message: str) -> None:
        self.calls.append(("refused", name))


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


@pytest.fixture
def panel(session: StorySession, qtbot) -> Recorder:
    recorder = Recorder(session)
    qtbot.addWidget(recorder)
    return recorder


def test_disabled_until_a_story_opens_then_filled_before_its_permissions(panel, session, service):
    story = service.create("Harbour strike ends", body="")
    session.save_failed.emit("headline", "Refused before any story was open.")
    assert not panel.isEnabled() and panel.story_id is None and panel.calls == []
    session.open(story.id)
    assert panel.isEnabled() and panel.story_id == story.id and panel.editable
    assert panel.calls == [("fill", "Harbour strike ends"), ("editable", True)]
    assert panel.objectName() == "recorder" and panel.accessibleName() == "Recorder"


def test_a_save_of_the_open_story_refreshes_and_a_save_of_another_is_ignored(panel, session, service):
    story = service.create("Harbour strike ends", body="")
    other = service.create("Council meets", body="")
    session.open(story.id)
    panel.calls.clear()
    session.story_saved.emit(service.update(other.id, {"headline": "Council meets again"}, expected_version=other.version))
    assert panel.calls == [] and panel.story_id == story.id
    session.edit("headline", "Harbour strike is over")
    assert session.save_now()
    assert panel.calls == [("refresh", "Harbour strike is over"), ("editable", True)]
    session.save_failed.emit("slug", "That slug is taken.")
    assert panel.calls[-1] == ("refused", "slug")


def test_a_refusal_turns_the_panel_read_only_and_says_why(panel, session, service):
    story = service.create("Harbour strike ends", body="")
    session.open(story.id)
    panel.calls.clear()
    spiked = session.run(lambda svc, version: svc.transition(story.id, Action.SPIKE, expected_version=version))
    assert spiked is not None
    assert panel.calls == [("refresh", "Harbour strike ends"), ("editable", False)]
    assert not panel.editable and "spiked" in panel.toolTip()
