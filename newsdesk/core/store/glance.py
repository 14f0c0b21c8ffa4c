"""The story for the window's first paint, read with the standard library's sqlite3 before SQLAlchemy loads.

Opening the store proper (SQLAlchemy, SQLModel, the schema check, perhaps an
upgrade) costs more than the whole window, and a reporter starts the app to
write. So the window first reads the one story it opens here, over a
read-only connection (a `mode=ro` URI: nothing is created or written, not even
the store's folder), shows it and takes typing, while the full store opens
behind it. Only a SQLite file whose schema is this version's head is read:
anything else (a server, an older or newer schema, no file, a busy or damaged
one) gives None, and the window waits for the full store as before. The head
is the newest migration file's number, so deciding whether an upgrade is due
never imports Alembic either (`core.store.db` compares the same way).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 0.25
"""A glance never waits long for a busy store: the full store opens behind it anyway."""


def known_revisions() -> tuple[str, ...]:
    """Revision ids of the migrations shipped with this version, oldest first (`0001_initial.py` → `0001`)."""
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return tuple(name[:4] for name in names)


@dataclass(frozen=True)
class StoryGlance:
    """What the first paint shows of a story, and what the window needs to decide whether typing may start."""

    id: int
    version: int
    headline: str
    body: str
    word_count: int
    status: str
    owner: str | None
    lock_holder: str | None
    reader_role: str | None
    """The role of the person the window will sign in (None when the store has no such active user)."""


def sqlite_file(url: str) -> Path | None:
    """The file a `sqlite:///…` URL names (`?mode=ro` allowed), or None for any other store or option."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    location, _, options = url[len(prefix):].partition("?")
    if options not in ("", "mode=ro") or location in ("", ":memory:"):
        return None
    return Path(location)


def read_story(url: str, ref: int | str, username: str) -> StoryGlance | None:
    """The story `ref` (id, slug or guid) names in the store at `url`, read-only, or None when a glance cannot tell."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, ref, username)
    except sqlite3.Error:
        return None  # busy, damaged, not a store, missing tables: the full store says what it is
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, ref: int | str, username: str) -> StoryGlance | None:
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    known = known_revisions()
    if revision is None or not known or revision[0] != known[-1]:
        return None
    columns = (
        "SELECT story.id, story.version, story.headline, story.body, story.word_count, story.status, owner.username, holder.username "
        "FROM story LEFT JOIN user AS owner ON owner.id = story.owner_id LEFT JOIN user AS holder ON holder.id = story.lock_holder_id "
    )
    text = str(ref).strip()
    if text.isdigit():
        row = connection.execute(columns + "WHERE story.id = ?", (int(text),)).fetchone()
    else:
        row = connection.execute(columns + "WHERE story.slug = ? OR story.guid = ? LIMIT 1", (text, text)).fetchone()
    if row is None:
        return None
    reader = connection.execute("SELECT role FROM user WHERE username = ? AND active", (username,)).fetchone()
    story_id, version, headline, body, word_count, status, owner, holder = row
    return StoryGlance(story_id, version, headline, body, word_count, status, owner, holder, None if reader is None else reader[0])
