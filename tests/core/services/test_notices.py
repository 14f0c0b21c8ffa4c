"""Notices: what others did to your stories since the window opened, and your lock broken; never your own steps."""

from __future__ import annotations

from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.notices import latest_event_id, notices_for
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user


def test_a_reporter_hears_every_step_an_editor_takes_on_their_story_and_a_broken_lock(store, service, admin):
    rita = add_user(store, admin, "rita", Role.REPORTER, password="rita-secret-1")
    mine = StoryService(store, rita)
    story = mine.create("Harbour report", body="Text.", byline="Rita Reyes", summary="The harbour reopens.", sections=["World"])
    before = mine.create("Old news", body="x")
    mine.transition(before.id, Action.SUBMIT)
    service.transition(before.id, Action.RETURN, "Before the window opened")
    since = latest_event_id(store)
    mine.transition(story.id, Action.SUBMIT)
    service.transition(story.id, Action.RETURN, "Second source, please")
    mine.transition(story.id, Action.SUBMIT)
    for action in (Action.APPROVE, Action.PUBLISH, Action.CORRECT, Action.KILL):
        service.transition(story.id, action, "Fixed the date" if action is Action.CORRECT else "")
    other = mine.create("Being written", body="y")
    Locks(store, rita).take(other.id)
    Locks(store, admin).break_lock(other.id, "Breaking news")

    heard = notices_for(store, rita, None, since)
    assert [(n.story_id, n.action) for n in heard] == [
        (story.id, "return"), (story.id, "approve"), (story.id, "publish"), (story.id, "correct"), (story.id, "kill"),
        (other.id, "break_lock"),
    ]
    assert heard[0].text == "editor returned “Harbour report”: “Second source, please”"
    assert "your lock was broken" in heard[-1].text
    assert [n.action for n in notices_for(store, rita, [other.id], since)] == ["break_lock"]
    assert notices_for(store, admin, None, since) == [], "the editor's own steps are no news to them"
