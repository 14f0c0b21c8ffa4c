"""Users, roles and passwords.

The first user of a new store is an admin named after the operating-system
account, so a personal store works without signing up. Passwords are hashed
with scrypt (memory-hard, in the standard library) and never stored or logged
in clear.

Passwords are optional on a personal (SQLite) store and required on a shared
(server) one: there every user added needs one, and a user without one (only
the first admin, made when the store was created) cannot sign in until they
set it with `set_first_password`.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import logging
import os
import re
import secrets
import sys
from dataclasses import dataclass

from sqlmodel import Session, select

from newsdesk.core.errors import (
    AuthenticationFailed,
    InvalidField,
    NotFound,
    NotPermitted,
)
from newsdesk.core.rules import limits
from newsdesk.core.rules.accounts import os_username
from newsdesk.core.rules.domain import Role
from newsdesk.core.rules.fields import one_line
from newsdesk.core.store import damage
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import User

log = logging.getLogger(__name__)

PASSWORD_ENV = "NEWSDESK_PASSWORD"
NEW_PASSWORD_ENV = "NEWSDESK_NEW_PASSWORD"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
_USERNAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{limits.USERNAME.length - 1}}}$")


@dataclass(frozen=True)
class Actor:
    """The signed-in person: who the services act for and check rules against."""

    id: int
    username: str
    display_name: str
    role: Role

    @property
    def is_editor(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def label(self) -> str:
        return self.display_name or self.username


def actor_of(user: User) -> Actor:
    """The person `user`'s row describes; StoreDamaged when its role is not one Newsdesk knows."""
    assert user.id is not None
    return Actor(id=user.id, username=user.username, display_name=user.display_name, role=damage.role_of(user.id, user.username, user.role))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` is the one `stored` was made from; a hash Newsdesk cannot read verifies nothing."""
    found = damage.read_hash(stored)
    if found is None:
        return False
    candidate = hashlib.scrypt(
        password.encode("utf-8"), salt=found.salt, n=found.n, r=found.r, p=found.p, dklen=len(found.digest),
        maxmem=2 * damage.SCRYPT_MAX_MEMORY,
    )
    return hmac.compare_digest(candidate, found.digest)


def validate_username(name: str) -> str:
    name = limits.USERNAME.check_characters(name).strip()
    if len(name) > limits.USERNAME.length:
        raise InvalidField("username", f"A user name is at most {limits.USERNAME.length} characters; “{name[:40]}…” has {len(name):,}.")
    if not _USERNAME.match(name):
        raise InvalidField("username", f"“{name}” is not a valid user name: use letters, digits, dots, hyphens or underscores.")
    return name


def validate_display_name(name: str) -> str:
    """The name shown for a user, on one line, at most DISPLAY_NAME characters; a NUL is refused."""
    return one_line(name, limits.DISPLAY_NAME)


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def ensure_first_admin(store: Store) -> Actor | None:
    """Make the operating-system account the admin of a store that has no users yet."""
    with store.session() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
        name = os_username()
        user = User(username=name, display_name=name, role=Role.ADMIN.value)
        session.add(user)
        session.flush()
        log.info("Made %s the first admin of the store", name)
        return actor_of(user)


def sign_in(store: Store, username: str, password: str | None) -> Actor:
    """Check the password when the user has one; a wrong or missing one raises AuthenticationFailed."""
    with store.session() as session:
        user = find_user(session, username)
        if user is None or not user.active:
            raise NotFound(f"There is no active user named “{username}” in this store.")
        if user.password_hash:
            damage.password_hash_of(user.id, user.username, user.password_hash)
            if not password or not verify_password(password, user.password_hash):
                log.warning("Failed sign-in for %s", username)
                raise AuthenticationFailed(f"Wrong password for {username}.")
        elif password_required(store):
            raise AuthenticationFailed(
                f"{username} has no password yet, and a shared store needs one: set it with `newsdesk users passwd {username}`."
            )
        return actor_of(user)


def sign_in_from_environment(store: Store, username: str | None) -> Actor:
    """The command line's sign-in: `--user` or the OS account; the password from NEWSDESK_PASSWORD or a prompt."""
    name = username or os_username()
    with store.session() as session:
        user = find_user(session, name)
        needs_password = bool(user and user.password_hash)
    if user is None and username is None:
        raise NotFound(f"You ({name}) are not a user of this store. Ask an admin to add you, or pass --user NAME.")
    password = None
    if needs_password:
        password = os.environ.get(PASSWORD_ENV)
        if password is None and sys.stdin.isatty():
            password = getpass.getpass(f"Password for {name}: ")
    return sign_in(store, name, password)


def add_user(store: Store, by: Actor, username: str, role: Role, display_name: str = "", password: str | None = None) -> Actor:
    _require_admin(by, "add users")
    username = validate_username(username)
    display_name = validate_display_name(display_name)
    if not password and password_required(store):
        raise InvalidField("password", f"A shared store needs a password for every user; give one for {username}.")
    with store.session() as session:
        if find_user(session, username) is not None:
            raise InvalidField("username", f"There is already a user named “{username}”.")
        user = User(username=username, display_name=display_name or username, role=Role(role).value,
                    password_hash=hash_password(_checked_password(password)) if password else None)
        session.add(user)
        session.flush()
        return actor_of(user)


def set_role(store: Store, by: Actor, username: str, role: Role) -> Actor:
    _require_admin(by, "change roles")
    with store.session() as session:
        user = _existing(session, username)
        if user.role == Role.ADMIN.value and role is not Role.ADMIN and _admin_count(session) == 1:
            raise NotPermitted(f"{username} is the only admin; make someone else an admin first.")
        user.role = Role(role).value
        session.add(user)
        session.flush()
        return actor_of(user)


def set_password(store: Store, by: Actor, username: str, password: str | None) -> None:
    """Admins set anyone's password; everyone may set their own. None removes it (personal stores only)."""
    if not by.is_admin and by.username != username:
        raise NotPermitted("Only an admin can set another person's password.")
    with store.session() as session:
        user = _existing(session, username)
        if password is None and not store.is_sqlite:
            raise NotPermitted("Passwords are required on a shared store.")
        user.password_hash = hash_password(_checked_password(password)) if password else None
        session.add(user)


def needs_first_password(store: Store, username: str) -> bool:
    """True for a user of a shared store who has no password yet (the store's first admin)."""
    with store.session() as session:
        user = find_user(session, username)
        return bool(password_required(store) and user is not None and user.active and not user.password_hash)


def set_first_password(store: Store, username: str, password: str) -> Actor:
    """Give a password to a shared store's user who has none yet; refused once they have one."""
    with store.session() as session:
        user = _existing(session, username)
        if user.password_hash:
            raise NotPermitted(f"{username} already has a password; sign in with it to change it.")
        user.password_hash = hash_password(_checked_password(password))
        session.add(user)
        log.info("Set the first password of %s", username)
        return actor_of(user)


def list_users(store: Store) -> list[User]:
    """Every user; StoreDamaged naming the first whose row holds an unknown role or an unreadable password hash."""
    with store.session() as session:
        rows = list(session.exec(select(User).order_by(User.username)))
    for user in rows:
        damage.check_user(user.id, user.username, user.role, user.password_hash)
    return rows


def password_required(store: Store) -> bool:
    """A shared (server) store requires passwords; a personal SQLite file does not."""
    return not store.is_sqlite


def _checked_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise InvalidField("password", f"A password needs at least {MIN_PASSWORD} characters.")
    return password


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"There is no user named “{username}”.")
    return user


def _admin_count(session: Session) -> int:
    return len(session.exec(select(User.id).where(User.role == Role.ADMIN.value, User.active == True)).all())  # noqa: E712


def _require_admin(by: Actor, what: str) -> None:
    if not by.is_admin:
        raise NotPermitted(f"Only an admin can {what}; you are signed in as {by.username} ({by.role.value}).")
