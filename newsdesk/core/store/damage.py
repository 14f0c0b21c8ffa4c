"""Rows Newsdesk could not have written: an unknown role or status, a password hash it cannot read.

The store keeps roles, statuses and password hashes as plain text, so a row
edited by hand (or by another program) can hold anything. Where a service reads
one into its typed value it goes through here, and such a row becomes a
StoreDamaged (exit 8) that names the row and what to do, never a ValueError
from deep inside; `problems` finds the same rows for `newsdesk db check`.
`db check` also says how to mend each: a user's role or password is set
again by an admin; a story's status comes back from a backup.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from newsdesk.core.errors import StoreDamaged
from newsdesk.core.rules.domain import Role, Status
from newsdesk.core.store.models import Story

SCRYPT_MAX_MEMORY = 64 * 1024 * 1024
"""The most memory a stored hash's scrypt parameters may ask for (128·n·r bytes); ours ask for 16 MiB."""
_HASH = re.compile(r"^scrypt\$(\d{1,8})\$(\d{1,4})\$(\d{1,3})\$([A-Za-z0-9+/=]{4,200})\$([A-Za-z0-9+/=]{4,200})$")


@dataclass(frozen=True)
class Scrypt:
    """A stored password hash, read: scrypt's cost parameters, the salt and the digest."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def read_hash(stored: str) -> Scrypt | None:
    """The hash `stored` (`scrypt$N$R$P$salt$digest`, as `users.hash_password` writes it), or None when it is not one."""
    match = _HASH.match(stored)
    if match is None:
        return None
    n, r, p = (int(value) for value in match.group(1, 2, 3))
    try:
        salt, digest = (base64.b64decode(value, validate=True) for value in match.group(4, 5))
    except (binascii.Error, ValueError):
        return None
    power_of_two = n > 1 and n & (n - 1) == 0
    affordable = r >= 1 and 1 <= p <= 16 and 128 * n * r <= SCRYPT_MAX_MEMORY
    if not power_of_two or not affordable or len(salt) < 8 or not 16 <= len(digest) <= 64:
        return None
    return Scrypt(n, r, p, salt, digest)


def role_of(user_id: int | None, username: str, role: str) -> Role:
    """The user's role; StoreDamaged naming the user when the row holds one Newsdesk does not know."""
    try:
        return Role(role)
    except ValueError:
        raise _damaged(_role_problem(user_id, username, role)) from None


def status_of(story_id: int | None, slug: str, status: str) -> Status:
    """The story's status; StoreDamaged naming the story when the row holds one Newsdesk does not know."""
    try:
        return Status(status)
    except ValueError:
        raise _damaged(_status_problem(story_id, slug, status)) from None


def story_status(story: Story) -> Status:
    """`status_of` for a loaded story row."""
    return status_of(story.id, story.slug, story.status)


def password_hash_of(user_id: int | None, username: str, stored: str) -> Scrypt:
    """The user's password hash, read; StoreDamaged naming the user when Newsdesk cannot read it."""
    found = read_hash(stored)
    if found is None:
        raise _damaged(_hash_problem(user_id, username))
    return found


def check_user(user_id: int | None, username: str, role: str, password_hash: str | None) -> None:
    """StoreDamaged when the user's row holds an unknown role or a password hash Newsdesk cannot read."""
    role_of(user_id, username, role)
    if password_hash:
        password_hash_of(user_id, username, password_hash)


def problems(connection: Connection) -> list[str]:
    """Every user and story row with an unknown role or status or an unreadable password hash, each with how to mend it."""
    found = []
    for user_id, username, role, password_hash in connection.execute(
        text('SELECT id, username, role, password_hash FROM "user" ORDER BY id')
    ):
        if role not in set(Role):
            mend = f"an admin gives it one with `newsdesk users set-role {username} reporter`"
            found.append(f"{_role_problem(user_id, username, role)}; {mend}")
        if password_hash and read_hash(password_hash) is None:
            found.append(f"{_hash_problem(user_id, username)}; an admin gives a new one with `newsdesk users passwd {username}`")
    for story_id, slug, status in connection.execute(text("SELECT id, slug, status FROM story ORDER BY id")):
        if status not in set(Status):
            found.append(f"{_status_problem(story_id, slug, status)}; restore the story from a backup")
    return found


def _damaged(problem: str) -> StoreDamaged:
    return StoreDamaged(f"{problem}: the store is damaged; run `newsdesk db check`.")


def _role_problem(user_id: int | None, username: str, role: str) -> str:
    return f"user {user_id} {_shown(username)} has an unknown role {_shown(role)}"


def _hash_problem(user_id: int | None, username: str) -> str:
    return f"user {user_id} {_shown(username)} has a password hash Newsdesk cannot read"


def _status_problem(story_id: int | None, slug: str, status: str) -> str:
    return f"story {story_id} {_shown(slug)} has an unknown status {_shown(status)}"


def _shown(value: str) -> str:
    """A stored value quoted for one line: at most 40 characters, control characters escaped."""
    short = value if len(value) <= 40 else f"{value[:40]}…"
    return "“" + "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in short) + "”"
