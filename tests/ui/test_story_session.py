"""The story session: pending changes per story, autosave on a pause, conflicts that lose nothing."""

from __future__ import annotations

import pytest

from sqlmodel import select

from newsdesk.core.models import Revision
from newsdesk.core.stories import LinkInput, StoryService
from newsdesk.ui.story_session import StorySession


@pytest.fixture
def session(service: StoryService, qtbot) -> StorySession:
    return StorySession(service, autosave_ms=60_000)


def test_edit_then_save_now_writes_with_the_version_read(session, service):
    story = service.create("Harbour strike ends", body="Old text.")
    session.open(story.id)
    session.edit("body", "New text.")
    assert session.is_dirty
    assert session.save_now()
    assert service.get(story.id).body == "New text."
    assert session.version == story.version + 1
    assert not session.is_dirty


def test_an_edit_back_to_the_stored_value_is_not_pending(session, service, qtbot):
    story = service.create("Quiet day", body="Same.")
    session.open(story.id)
    with qtbot.waitSignals([session.dirty_changed, session.dirty_changed]):
        session.edit("body", "Changed.")
        session.edit("body", "Same.")
    assert session.pending == {}


def test_autosave_fires_after_the_pause(session, service, qtbot):
    story = service.create("Storm warning", body="")
    session.set_autosave_interval(50)
    session.open(story.id)
    with qtbot.waitSignal(session.story_saved, timeout=2000) as saved:
        session.edit("body", "Rain by noon.")
    assert saved.args[0].body == "Rain by noon."
    assert service.get(story.id).body == "Rain by noon."


def test_open_saves_the_previous_story_and_keeps_changes_apart(session, service):
    first = service.create("First story", body="one")
    second = service.create("Second story", body="two")
    session.open(first.id)
    session.edit("body", "one, edited")
    session.open(second.id)
    session.edit("body", "two, edited")
    session.open(first.id)
    assert session.record.body == "one, edited"
    assert service.get(second.id).body == "two, edited"


def test_invalid_field_is_reported_and_the_rest_still_saved(session, service, qtbot):
    story = service.create("Valid headline", body="x")
    session.open(story.id)
    session.edit("headline", "   ")
    session.edit("body", "still saved")
    with qtbot.waitSignal(session.save_failed) as failed:
        session.save_now()
    assert failed.args[0] == "headline"
    stored = service.get(story.id)
    assert (stored.headline, stored.body) == ("Valid headline", "still saved")


def test_conflict_keeps_both_versions(session, service, store, qtbot):
    story = service.create("Contested", body="original")
    session.open(story.id)
    service.update(story.id, {"body": "their text"}, expected_version=story.version)
    session.edit("body", "my text")
    with qtbot.waitSignal(session.conflict) as conflict:
        assert not session.save_now()
    assert service.get(story.id).body == "their text"
    with store.session() as db:
        kept = db.exec(select(Revision).where(Revision.story_id == story.id, Revision.reason == "conflict").order_by(Revision.number)).all()
    assert kept and kept[-1].snapshot["body"] == "my text"
    assert conflict.args[0].revision == kept[-1].number
    session.resolve_conflict(keep_mine=True)
    assert service.get(story.id).body == "my text"


def test_run_flushes_edits_before_the_operation(session, service):
    story = service.create("Linked", body="a")
    session.open(story.id)
    session.edit("body", "b")
    record = session.run(lambda svc, version: svc.add_link(story.id, LinkInput("Wire", "https://example.com/"), expected_version=version))
    assert record is not None and record.body == "b" and len(record.links) == 1
    assert session.record is record
