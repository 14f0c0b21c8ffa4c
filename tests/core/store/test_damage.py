"""Rows edited by hand (an unknown role or status, a password hash Newsdesk cannot read): StoreDamaged naming the row, on both engines.

Every service that reads such a row into its typed value says which row and
what to do (exit 8 on the command line), never a ValueError; `db check` lists
each with its mend; an admin can still mend a user's row.
"""

from __future__ import annotations

import pytest
from actors import get_actor
from sqlalchemy import text

from newsdesk.core.errors import StoreDamaged
from newsdesk.core.rules.domain import Role
from newsdesk.core.services import users
from newsdesk.core.services.budget import budget_page
from newsdesk.core.services.locks import Locks
from newsdesk.core.services.stories import StoryService
from newsdesk.core.store import damage
from newsdesk.core.store.maintenance import check_store

SECRET = "correct horse battery"
UNREADABLE_HASHES = [
    "garbage$1",
    "scrypt$x$8$1$aa$bb",
    "scrypt$16384$8$1$!!$bb",
    "scrypt$1099511627776$8$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # asks for terabytes of memory
    "scrypt$16384$800000$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
    "scrypt$3$8$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # n not a power of two
    "scrypt$16384$8$1$c2FsdHNhbHQ=$",
    "scrypt$16384$8$1$c2FsdHNhbHQ=$bbbbb",  # base64 one character too long
    "bcrypt$16384$8$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
]


def plant(store, sql: str, **values: object) -> None:
    """Change a row behind Newsdesk's back, as a person with `sqlite3` or `psql` would."""
    with store.engine.begin() as connection:
        connection.execute(text(sql), values)


@pytest.fixture
def ed(store, admin):
    return users.add_user(store, admin, "ed", Role.REPORTER, password=SECRET)


@pytest.mark.parametrize("stored", UNREADABLE_HASHES)
def test_a_hash_newsdesk_did_not_write_is_not_read_and_never_verifies(stored):
    assert damage.read_hash(stored) is None
    assert not users.verify_password(SECRET, stored)


def test_the_hashes_newsdesk_writes_are_read():
    found = damage.read_hash(users.hash_password(SECRET))
    assert found is not None and (found.n, found.r, found.p) == (users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P)


def test_an_unknown_role_is_said_with_the_user_by_every_reader_and_an_admin_can_mend_it(store, admin, ed):
    plant(store, "UPDATE \"user\" SET role = 'boss' WHERE username = 'ed'")
    said = f"user {ed.id} “ed” has an unknown role “boss”: the store is damaged; run `newsdesk db check`."
    for read in (lambda: get_actor(store, "ed"), lambda: users.sign_in(store, "ed", SECRET), lambda: users.list_users(store)):
        with pytest.raises(StoreDamaged) as raised:
            read()
        assert raised.value.message == said and raised.value.exit_code == 8
    report = check_store(store.url if store.is_sqlite else store.engine.url.render_as_string(hide_password=False))
    mend = "an admin gives it one with `newsdesk users set-role ed reporter`"
    assert f"user {ed.id} “ed” has an unknown role “boss”; {mend}" in report.problems
    assert users.set_role(store, admin, "ed", Role.EDITOR).role is Role.EDITOR
    assert get_actor(store, "ed").role is Role.EDITOR


def test_a_password_hash_newsdesk_cannot_read_is_damage_at_sign_in_not_a_wrong_password(store, admin, ed):
    plant(store, "UPDATE \"user\" SET password_hash = :stored WHERE username = 'ed'", stored="scrypt$16384$8$1$aaaa$bbbbb")
    for password in (SECRET, None):
        with pytest.raises(StoreDamaged, match=rf"^user {ed.id} “ed” has a password hash Newsdesk cannot read: the store is damaged"):
            users.sign_in(store, "ed", password)
    with pytest.raises(StoreDamaged):
        users.list_users(store)
    users.set_password(store, admin, "ed", "a new password")
    assert users.sign_in(store, "ed", "a new password").username == "ed"


def test_an_unknown_status_is_said_with_the_story_by_every_reader(store, admin, service: StoryService):
    story = service.create("Harbour strike")
    fine = service.create("Ferry timetable")
    plant(store, "UPDATE story SET status = 'bogus' WHERE id = :id", id=story.id)
    said = f"story {story.id} “harbour-strike” has an unknown status “bogus”: the store is damaged; run `newsdesk db check`."
    from newsdesk.core.records import BudgetQuery

    reads = (
        lambda: service.get(story.id),
        lambda: service.update(story.id, {"byline": "Ed"}, expected_version=None),
        lambda: service.transition(story.id, "submit"),
        lambda: Locks(store, admin).take(story.id),
        lambda: budget_page(store, BudgetQuery()),
    )
    for read in reads:
        with pytest.raises(StoreDamaged) as raised:
            read()
        assert raised.value.message == said
    assert service.get(fine.id).status == "draft"  # the other stories read as ever
    url = store.url if store.is_sqlite else store.engine.url.render_as_string(hide_password=False)
    problem = f"story {story.id} “harbour-strike” has an unknown status “bogus”; restore the story from a backup"
    assert check_store(url).problems == [problem]


def test_a_sound_store_has_no_damaged_rows(store, service):
    service.create("Harbour strike")
    with store.engine.connect() as connection:
        assert damage.problems(connection) == []


def test_a_stored_value_is_shown_with_its_control_characters_escaped(store, ed):
    plant(store, "UPDATE \"user\" SET role = :role WHERE username = 'ed'", role="\x1b]0;owned\x07")
    with pytest.raises(StoreDamaged) as raised:
        get_actor(store, "ed")
    assert "\x1b" not in raised.value.message and "“\\x1b]0;owned\\x07”" in raised.value.message
