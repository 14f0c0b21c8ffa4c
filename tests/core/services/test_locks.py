"""Edit locks: one person edits at a time, others are refused and read only, a lock lapses, an editor breaks it."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from newsdesk.core.errors import NotPermitted, StoryLocked
from newsdesk.core.records import LinkInput
from newsdesk.core.rules.times import utcnow
from newsdesk.core.rules.workflow import Action
from newsdesk.core.services.locks import BREAK_ACTION, LOCK_TIMEOUT, Locks
from newsdesk.core.services.stories import StoryService
from newsdesk.core.services.users import add_user
from newsdesk.core.store.models import Role, Story


@pytest.fixture
def newsroom(store, admin):
    ada = add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password="ada's secret")
    bob = add_user(store, admin, "bob", Role.REPORTER, "Bob Reporter", password="bob's secret")
    ed = add_user(store, admin, "ed", Role.EDITOR, "Ed Itor", password="ed's secret")
    people = {"ada": ada, "bob": bob, "ed": ed, "admin": admin}
    return {name: (StoryService(store, actor), Locks(store, actor)) for name, actor in people.items()}


def _age_lock(store, story_id: int, by) -> None:
    with store.session() as session:
        session.execute(update(Story).where(Story.id == story_id).values(locked_at=utcnow() - by))


def test_the_holder_edits_and_others_are_refused(newsroom):
    ada, ada_locks = newsroom["ada"]
    ed, ed_locks = newsroom["ed"]
    story = ada.create("Harbour reopens", body="Ferries run.")
    state = ada_locks.take(story.id)
    assert state.mine and state.holder == "ada"
    assert ada_locks.take(story.id).mine, "taking your own lock again is fine"
    saved = ada.update(story.id, {"body": "Ferries run again."}, expected_version=story.version, reason="save")
    assert saved.version == story.version + 1

    seen = ed_locks.state(story.id)
    assert seen.held_by_other and seen.holder_name == "Ada Reporter"
    assert "Ada Reporter is editing this story" in seen.describe()
    with pytest.raises(StoryLocked, match="Ada Reporter is editing “Harbour reopens”") as refused:
        ed_locks.take(story.id)
    assert refused.value.exit_code == 3
    with pytest.raises(StoryLocked):
        ed.update(story.id, {"body": "Overwritten?"}, expected_version=saved.version, reason="save")
    with pytest.raises(StoryLocked):
        ed.add_link(story.id, LinkInput("Port", url="https://example.com/port"))
    with pytest.raises(StoryLocked):
        ed.transition(story.id, Action.SPIKE)
    after = ed.get(story.id)
    assert (after.body, after.version, after.status, after.links) == ("Ferries run again.", saved.version, "draft", ())
    assert after.lock_holder == "ada"


def test_a_lock_is_not_content(newsroom):
    ada, ada_locks = newsroom["ada"]
    story = ada.create("Quiet day")
    ada_locks.take(story.id)
    ada_locks.heartbeat(story.id)
    ada_locks.release(story.id)
    assert ada.get(story.id).version == story.version


def test_only_someone_who_may_edit_takes_the_lock(newsroom):
    ada, _ = newsroom["ada"]
    _, bob_locks = newsroom["bob"]
    _, ed_locks = newsroom["ed"]
    story = ada.create("Ada's own story")
    with pytest.raises(NotPermitted, match="only edit their own"):
        bob_locks.take(story.id)
    assert ed_locks.take(story.id).mine


def test_a_lock_lapses_without_a_heartbeat(newsroom, store):
    ada, ada_locks = newsroom["ada"]
    ed, ed_locks = newsroom["ed"]
    story = ada.create("Council meets")
    ada_locks.take(story.id)
    _age_lock(store, story.id, LOCK_TIMEOUT - (LOCK_TIMEOUT / 4))
    assert ed_locks.state(story.id).held_by_other, "still live just before the timeout"
    ada_locks.heartbeat(story.id)
    _age_lock(store, story.id, LOCK_TIMEOUT / 2)
    assert ed_locks.state(story.id).held_by_other, "the heartbeat refreshed it"
    _age_lock(store, story.id, LOCK_TIMEOUT + LOCK_TIMEOUT / 4)
    assert ed_locks.state(story.id).holder is None
    saved = ed.update(story.id, {"body": "Edited after the lapse."}, expected_version=story.version, reason="save")
    assert ed_locks.take(saved.id).mine
    with pytest.raises(StoryLocked, match="Ed Itor is editing"):
        ada_locks.heartbeat(story.id)


def test_a_heartbeat_retakes_a_lapsed_lock_nobody_claimed(newsroom, store):
    ada, ada_locks = newsroom["ada"]
    story = ada.create("Lapsed")
    ada_locks.take(story.id)
    _age_lock(store, story.id, LOCK_TIMEOUT * 3)
    assert ada_locks.heartbeat(story.id).mine
    assert ada_locks.state(story.id).mine


def test_release_gives_up_only_your_own_lock(newsroom):
    ada, ada_locks = newsroom["ada"]
    _, ed_locks = newsroom["ed"]
    story = ada.create("Released")
    ada_locks.take(story.id)
    ed_locks.release(story.id)
    assert ed_locks.state(story.id).holder == "ada"
    ada_locks.release(story.id)
    assert ed_locks.state(story.id).holder is None
    assert ed_locks.take(story.id).mine


def test_an_editor_breaks_a_lock_and_it_is_recorded(newsroom):
    ada, ada_locks = newsroom["ada"]
    ed, ed_locks = newsroom["ed"]
    story = ada.create("Deadline story", body="Draft.")
    ada_locks.take(story.id)
    state = ed_locks.break_lock(story.id, "Page closes at six.")
    assert state.mine and state.holder == "ed"
    record = ed.get(story.id, events=True)
    event = record.events[-1]
    assert (event.action, event.user, event.from_status, event.to_status) == (BREAK_ACTION, "ed", "draft", "draft")
    assert event.note == "Broke the lock held by Ada Reporter. Page closes at six."
    assert record.lock_holder == "ed"
    ed.update(story.id, {"body": "Editor's fix."}, expected_version=record.version, reason="save")
    with pytest.raises(StoryLocked, match="Ed Itor is editing"):
        ada_locks.heartbeat(story.id)
    with pytest.raises(StoryLocked):
        ada.update(story.id, {"body": "Ada's late change."}, expected_version=None, reason="save")
    assert ada.get(story.id).body == "Editor's fix."


def test_breaking_needs_an_editor_and_a_lock_to_break(newsroom):
    ada, ada_locks = newsroom["ada"]
    _, bob_locks = newsroom["bob"]
    _, admin_locks = newsroom["admin"]
    story = ada.create("Contested")
    with pytest.raises(NotPermitted, match="Only an editor can break a lock"):
        bob_locks.break_lock(story.id)
    assert admin_locks.break_lock(story.id).holder is None, "nothing held: nothing broken"
    assert all(e.action != BREAK_ACTION for e in ada.get(story.id, events=True).events)
    ada_locks.take(story.id)
    with pytest.raises(NotPermitted, match="Only an editor"):
        bob_locks.break_lock(story.id)
    assert admin_locks.break_lock(story.id).mine, "an admin may do everything an editor may"


def test_the_record_shows_who_holds_the_lock(newsroom):
    ada, ada_locks = newsroom["ada"]
    story = ada.create("Shown")
    ada_locks.take(story.id)
    shown = ada.get(story.id)
    assert shown.lock_holder == "ada" and shown.locked_at is not None
    assert shown.to_json()["lock"]["user"] == "ada"


def test_submitting_gives_the_lock_up_and_the_heartbeat_does_not_take_it_back(newsroom):
    ada, ada_locks = newsroom["ada"]
    ed, ed_locks = newsroom["ed"]
    story = ada.create("Ferry talks", body="Resumed.")
    ada_locks.take(story.id)
    submitted = ada.transition(story.id, Action.SUBMIT)
    assert submitted.lock_holder is None and ed_locks.state(story.id).holder is None
    assert submitted.version == story.version + 1
    with pytest.raises(NotPermitted, match="an editor must return it"):
        ada_locks.heartbeat(story.id)
    assert ed_locks.state(story.id).holder is None, "the refused heartbeat took nothing"
    assert ed.transition(story.id, Action.RETURN, "Which ferry?").status == "draft"
