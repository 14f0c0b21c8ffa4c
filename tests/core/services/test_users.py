"""Users, roles and passwords: scrypt hashing, sign-in refusals, who may manage whom, personal vs shared stores."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from newsdesk.core.errors import (
    AuthenticationFailed,
    InvalidField,
    NotFound,
    NotPermitted,
)
from newsdesk.core.services import users
from newsdesk.core.store.models import Role, User

SECRET = "tide-tables-42"


def test_hash_is_salted_scrypt_and_verifies_only_the_password():
    first, second = users.hash_password(SECRET), users.hash_password(SECRET)
    assert first.startswith(f"scrypt${users.SCRYPT_N}${users.SCRYPT_R}${users.SCRYPT_P}$")
    assert first != second, "each hash has its own salt"
    assert SECRET not in first
    assert users.verify_password(SECRET, first) and users.verify_password(SECRET, second)
    assert not users.verify_password(SECRET + "!", first)
    assert not users.verify_password("", first)


@pytest.mark.parametrize("stored", ["", "plain", "md5$abc", "scrypt$1$2", "bcrypt$16384$8$1$c2FsdA==$ZGlnZXN0"])
def test_a_malformed_or_foreign_hash_never_verifies(stored):
    assert not users.verify_password(SECRET, stored)


def test_a_tampered_hash_does_not_verify():
    scheme, n, r, p, _salt, digest = users.hash_password(SECRET).split("$")
    other_salt = users.hash_password(SECRET).split("$")[4]
    assert not users.verify_password(SECRET, "$".join([scheme, n, r, p, other_salt, digest]))


def test_sign_in_checks_the_password_and_exits_4_when_wrong(store, admin):
    users.add_user(store, admin, "ada", Role.REPORTER, "Ada Reporter", password=SECRET)
    assert users.sign_in(store, "ada", SECRET).role is Role.REPORTER
    for wrong in ("wrong-password", "", None):
        with pytest.raises(AuthenticationFailed, match="Wrong password for ada") as refused:
            users.sign_in(store, "ada", wrong)
        assert refused.value.exit_code == 4
    with pytest.raises(NotFound, match="no active user named “nobody”"):
        users.sign_in(store, "nobody", SECRET)


def test_passwords_are_never_stored_or_logged_in_clear(store, admin, caplog):
    caplog.set_level(logging.DEBUG)
    users.add_user(store, admin, "ada", Role.REPORTER, password=SECRET)
    with pytest.raises(AuthenticationFailed):
        users.sign_in(store, "ada", "not-" + SECRET)
    users.set_password(store, admin, "ada", "new-" + SECRET)
    users.sign_in(store, "ada", "new-" + SECRET)
    with store.session() as session:
        stored = session.exec(select(User.password_hash).where(User.username == "ada")).one()
    assert SECRET not in stored and stored.startswith("scrypt$")
    assert caplog.records, "sign-in failures are logged (without the password)"
    assert SECRET not in caplog.text


def test_short_passwords_are_refused(store, admin):
    with pytest.raises(InvalidField, match="at least 8 characters") as refused:
        users.add_user(store, admin, "ada", Role.REPORTER, password="short")
    assert refused.value.field == "password"


def test_only_admins_manage_users(store, admin):
    editor = users.add_user(store, admin, "ed", Role.EDITOR, password=SECRET)
    reporter = users.add_user(store, admin, "ada", Role.REPORTER, password=SECRET)
    for someone in (editor, reporter):
        with pytest.raises(NotPermitted, match="Only an admin can add users"):
            users.add_user(store, someone, "mallory", Role.ADMIN, password=SECRET)
        with pytest.raises(NotPermitted, match="Only an admin can change roles"):
            users.set_role(store, someone, "ada", Role.ADMIN)
    assert users.set_role(store, admin, "ada", Role.EDITOR).role is Role.EDITOR
    signed_in = users.sign_in(store, "ada", SECRET)
    assert signed_in.is_editor and not signed_in.is_admin


def test_everyone_sets_their_own_password_but_only_admins_set_others(store, admin):
    users.add_user(store, admin, "ada", Role.REPORTER, password=SECRET)
    bob = users.add_user(store, admin, "bob", Role.REPORTER, password=SECRET)
    users.set_password(store, bob, "bob", "bob's new one")
    assert users.sign_in(store, "bob", "bob's new one").username == "bob"
    with pytest.raises(NotPermitted, match="Only an admin can set another person's password"):
        users.set_password(store, bob, "ada", "hijacked!")
    assert users.sign_in(store, "ada", SECRET).username == "ada"
    users.set_password(store, admin, "ada", "reset by admin")
    assert users.sign_in(store, "ada", "reset by admin").username == "ada"


def test_the_last_admin_cannot_be_demoted(store, admin):
    with pytest.raises(NotPermitted, match="only admin"):
        users.set_role(store, admin, admin.username, Role.EDITOR)
    users.add_user(store, admin, "boss", Role.ADMIN, password=SECRET)
    assert users.set_role(store, admin, admin.username, Role.EDITOR).role is Role.EDITOR


def test_user_names_are_checked_and_unique(store, admin):
    with pytest.raises(InvalidField, match="not a valid user name"):
        users.add_user(store, admin, "ada lovelace", Role.REPORTER, password=SECRET)
    users.add_user(store, admin, "ada", Role.REPORTER, password=SECRET)
    with pytest.raises(InvalidField, match="already a user named “ada”"):
        users.add_user(store, admin, "ada", Role.EDITOR, password=SECRET)


def test_the_first_user_is_an_admin_named_after_the_account(store):
    with store.session() as session:
        first = session.exec(select(User).order_by(User.id)).first()
    assert (first.username, first.role, first.password_hash) == ("editor", "admin", None)


def test_passwords_are_optional_on_a_personal_store_and_required_on_a_shared_one(store, admin):
    """On SQLite a user may have no password; on PostgreSQL every user needs one before signing in."""
    if store.is_sqlite:
        assert not users.password_required(store)
        users.add_user(store, admin, "ada", Role.REPORTER)
        assert users.sign_in(store, "ada", None).username == "ada"
        users.set_password(store, admin, "ada", SECRET)
        users.set_password(store, admin, "ada", None)
        assert users.sign_in(store, "ada", None).username == "ada"
        assert not users.needs_first_password(store, admin.username)
        return
    assert users.password_required(store)
    with pytest.raises(InvalidField, match="shared store needs a password"):
        users.add_user(store, admin, "ada", Role.REPORTER)
    with pytest.raises(NotPermitted, match="required on a shared store"):
        users.set_password(store, admin, admin.username, None)
    with pytest.raises(AuthenticationFailed, match="has no password yet") as refused:
        users.sign_in(store, admin.username, None)
    assert "newsdesk users passwd editor" in refused.value.message
    assert users.needs_first_password(store, admin.username)
    users.set_first_password(store, admin.username, SECRET)
    assert not users.needs_first_password(store, admin.username)
    assert users.sign_in(store, admin.username, SECRET).is_admin
    with pytest.raises(NotPermitted, match="already has a password"):
        users.set_first_password(store, admin.username, "taken over!")
