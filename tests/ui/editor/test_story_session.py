"""The story session: pending changes per story, autosave on a pause, conflicts that lose nothing, store files replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import select

from newsdesk.core.records import LinkInput
from newsdesk.core.services.revisions import AUTOSAVE_INTERVAL
from newsdesk.core.services.stories import StoryService
from newsdesk.core.store.models import Revision
from newsdesk.ui.editor.story_session import StorySession


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


def test_edit_later_reads_the_text_only_when_it_is_needed_and_saves_the_latest(session, service, store, qtbot):
    story = service.create("Harbour strike ends", body="Old text.")
    session.open(story.id)
    typed = ["Old text."]
    reads: list[str] = []

    def read() -> str:
        reads.append(typed[0])
        return typed[0]

    for text in ("Old text. N", "Old text. Ne", "Old text. New"):
        typed[0] = text
        session.edit_later("body", read)
    assert reads == [] and session.is_dirty
    typed[0] = "Old text. Newer"
    assert session.save_now()
    assert reads == ["Old text. Newer"]
    assert stored(store, story.id, "body") == "Old text. Newer"
    typed[0] = "Old text. Newer"
    with qtbot.waitSignal(session.dirty_changed):
        session.edit_later("body", read)
    assert session.pending == {} and not session.is_dirty


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


def newsdesk(store, *argv: str) -> str:
    """The command line as a separate process on the same store; its stdout."""
    database = store.engine.url.render_as_string(hide_password=False)
    environment = {key: value for key, value in os.environ.items() if key != "NEWSDESK_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--database", database, *argv],
        check=False, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def stored(store, ref: int, field: str) -> object:
    """A field as a fresh process reads it."""
    return json.loads(newsdesk(store, "story", "show", "--json", str(ref)))[field]


def drop_our_locks(store) -> None:
    """What Qt's file-type sniffing did: open and close the store's files, dropping this process's POSIX locks."""
    for suffix in ("", "-wal", "-shm"):
        os.close(os.open(f"{store.path}{suffix}", os.O_RDONLY))


def test_a_save_after_the_store_files_were_deleted_reaches_a_fresh_process(session, service, store, caplog):
    story = service.create("Harbour strike ends", body="First draft.")
    other = service.create("Council meets", body="")
    session.open(story.id)
    drop_our_locks(store)
    newsdesk(store, "story", "set", str(other.id), "summary=From a script.")
    session.edit("body", "Second draft.")
    with caplog.at_level("WARNING"):
        assert session.save_now()
    newsdesk(store, "story", "set", str(other.id), "byline=By a later script")
    assert stored(store, story.id, "body") == "Second draft."
    assert (stored(store, other.id, "summary"), stored(store, other.id, "byline")) == ("From a script.", "By a later script")
    assert "reconnecting" in caplog.text


def test_what_was_saved_to_the_deleted_wal_is_written_again(session, service, store, monkeypatch, caplog, qtbot):
    """The files went between the check and the save: the next check (the lock heartbeat) writes it again."""
    story = service.create("Harbour strike ends", body="First draft.")
    other = service.create("Council meets", body="")
    session.open(story.id)
    drop_our_locks(store)
    newsdesk(store, "story", "set", str(other.id), "summary=From a script.")
    check = store.reconnect_if_replaced
    monkeypatch.setattr(store, "reconnect_if_replaced", lambda: False)
    session.edit("body", "Saved to the deleted WAL.")
    assert session.save_now()
    newsdesk(store, "story", "set", str(other.id), "byline=By a later script")
    monkeypatch.setattr(store, "reconnect_if_replaced", check)

    with caplog.at_level("WARNING"), qtbot.assertNotEmitted(session.conflict):
        assert session.check_store() is True
    assert stored(store, story.id, "body") == "Saved to the deleted WAL."
    assert stored(store, other.id, "byline") == "By a later script"
    assert not session.is_dirty
    assert "writing again body" in caplog.text


def test_a_field_changed_elsewhere_meanwhile_becomes_a_conflict_not_an_overwrite(session, service, store, monkeypatch, qtbot):
    story = service.create("Harbour strike ends", body="First draft.")
    session.open(story.id)
    drop_our_locks(store)
    newsdesk(store, "story", "set", str(service.create("Other", body="").id), "summary=x")
    check = store.reconnect_if_replaced
    monkeypatch.setattr(store, "reconnect_if_replaced", lambda: False)
    session.edit("body", "Mine, saved to the deleted WAL.")
    assert session.save_now()
    newsdesk(store, "story", "set", str(story.id), "body=Theirs, from a script.")
    monkeypatch.setattr(store, "reconnect_if_replaced", check)

    with qtbot.waitSignal(session.conflict) as conflict:
        assert session.check_store() is True
    assert stored(store, story.id, "body") == "Theirs, from a script."
    with store.session() as db:
        kept = db.exec(select(Revision).where(Revision.story_id == story.id, Revision.reason == "conflict").order_by(Revision.number)).all()
    assert kept and kept[-1].snapshot["body"] == "Mine, saved to the deleted WAL."
    assert conflict.args[0].revision == kept[-1].number


def history(store, ref: int) -> list[str]:
    """The reasons of a story's revisions, oldest first, as a fresh process lists them."""
    return [revision["reason"] for revision in json.loads(newsdesk(store, "story", "history", "--json", str(ref)))["revisions"]]


def age_revisions(store, story_id: int, by: timedelta) -> None:
    """As if `by` had passed since the story's revisions were written: the throttle reads their times."""
    with store.session() as db:
        for revision in db.exec(select(Revision).where(Revision.story_id == story_id)).all():
            revision.created_at -= by
            db.add(revision)


def test_autosaves_leave_a_revision_at_most_once_an_interval(session, service, store, qtbot):
    """Typing across many autosave periods saves each time but keeps one revision per interval, not one per save."""
    story = service.create("Storm warning", body="")
    session.set_autosave_interval(20)
    session.open(story.id)
    for take in range(4):
        with qtbot.waitSignal(session.story_saved, timeout=5000):
            session.edit("body", f"Rain by noon, take {take}.")
    assert stored(store, story.id, "body") == "Rain by noon, take 3."
    assert session.version == story.version + 4
    assert history(store, story.id) == ["create"]

    age_revisions(store, story.id, AUTOSAVE_INTERVAL)
    for take in range(3):
        with qtbot.waitSignal(session.story_saved, timeout=5000):
            session.edit("body", f"Rain at noon, update {take}.")
    assert stored(store, story.id, "body") == "Rain at noon, update 2."
    assert history(store, story.id) == ["create", "autosave"]

    session.edit("body", "Rain at noon, final.")
    assert session.save_now()
    assert history(store, story.id) == ["create", "autosave", "save"]


@pytest.mark.usefixtures("qtbot")
def test_edit_refusal_asks_cores_rule_for_the_signed_in_person(store, service):
    """The one question the editor, both panels and the lock keeper ask: may this person change the story now?"""
    from actors import get_actor

    from newsdesk.core.rules.domain import Role
    from newsdesk.core.rules.workflow import Action
    from newsdesk.core.services.users import add_user

    reporter = StoryService(store, add_user(store, get_actor(store, "editor"), "ada", Role.REPORTER, password="a long enough passphrase"))
    theirs = service.create("The desk's story", body="")
    mine = reporter.create("Ada's draft", body="The first words.")
    assert StorySession().edit_refusal(theirs) is None, "no store yet: nothing to say"
    session = StorySession(reporter, autosave_ms=60_000)
    assert session.edit_refusal() is None, "no story open"
    session.open(mine.id)
    assert session.edit_refusal() is None
    assert session.edit_refusal(theirs) == "A reporter can only edit their own stories."
    submitted = session.run(lambda svc, version: svc.transition(mine.id, Action.SUBMIT, expected_version=version))
    assert submitted is not None and submitted.status == "submitted"
    assert session.edit_refusal() == "The story is submitted; an editor must return it before you can change it."
    assert StorySession(service).edit_refusal(submitted) is None, "an editor may change it"
