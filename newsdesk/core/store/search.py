"""Full-text search over headline, summary and body: the one place with engine-specific SQL.

SQLite uses an FTS5 table kept in sync by triggers; PostgreSQL an expression
GIN index over `to_tsvector('simple', …)` ('simple' because stories come in
many languages and stemming one language's way would miss the others).
The DDL is versioned by name: a migration uses the constant of its day.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, TextClause, func, literal_column, select, table, text
from sqlalchemy.sql import Select

Criterion = ColumnElement[bool] | TextClause
"""A WHERE clause: an expression, or the raw SQL of a full-text match."""
SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")

SQLITE_FTS_V1 = (
    """CREATE VIRTUAL TABLE story_fts USING fts5(
        headline, summary, body, content='story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER story_fts_insert AFTER INSERT ON story BEGIN
        INSERT INTO story_fts(rowid, headline, summary, body) VALUES (new.id, new.headline, new.summary, new.body);
    END""",
    """CREATE TRIGGER story_fts_delete AFTER DELETE ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, headline, summary, body) VALUES ('delete', old.id, old.headline, old.summary, old.body);
    END""",
    """CREATE TRIGGER story_fts_update AFTER UPDATE OF headline, summary, body ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, headline, summary, body) VALUES ('delete', old.id, old.headline, old.summary, old.body);
        INSERT INTO story_fts(rowid, headline, summary, body) VALUES (new.id, new.headline, new.summary, new.body);
    END""",
    "INSERT INTO story_fts(story_fts) VALUES ('rebuild')",
)
SQLITE_FTS_V1_DROP = (
    "DROP TRIGGER IF EXISTS story_fts_update",
    "DROP TRIGGER IF EXISTS story_fts_delete",
    "DROP TRIGGER IF EXISTS story_fts_insert",
    "DROP TABLE IF EXISTS story_fts",
)

POSTGRES_DOCUMENT = (
    "to_tsvector('simple', coalesce(story.headline, '') || ' ' || coalesce(story.summary, '') || ' ' || coalesce(story.body, ''))"
)
POSTGRES_FTS_V1 = (f"CREATE INDEX ix_story_fulltext ON story USING gin (({POSTGRES_DOCUMENT}))",)
POSTGRES_FTS_V1_DROP = ("DROP INDEX IF EXISTS ix_story_fulltext",)

MIN_PREFIX = 3
"""The last word is matched as a prefix only from three letters on: a one- or two-letter
prefix matches most of an archive, and the budget would spend its time counting it."""

_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a search box's text; operators and punctuation are not syntax here."""
    return [word.replace("’", "'") for word in _WORD.findall(query)]


def matches(dialect: str, query: str, *, walking: bool = False) -> Criterion | None:
    """A WHERE clause matching stories that contain every word (the last one, from three
    letters on, as a prefix, so results follow typing), or None when the text holds no words.

    `walking` (a search that matches much of the archive, see `walk_newest_first`) keeps SQLite
    from fetching each match by id and sorting them all: the unary `+` makes the id test unusable
    as a lookup, so the planner walks the stories newest first through their index, tests each
    against the matches (gathered once) and stops at the page. A word in every one of 100,000
    stories: a tenth of the time of the sort."""
    words = terms(query)
    if not words:
        return None
    if dialect == "sqlite":
        test = "+story.id" if walking else "story.id"
        return text(f"{test} IN (SELECT rowid FROM story_fts WHERE story_fts MATCH :fts_query)").bindparams(fts_query=_fts5_query(words))
    if dialect == "postgresql":
        lexemes = [_tsquery_quote(word) for word in words]
        if len(words[-1]) >= MIN_PREFIX:
            lexemes[-1] += ":*"
        return text(f"{POSTGRES_DOCUMENT} @@ to_tsquery('simple', :ts_query)").bindparams(ts_query=" & ".join(lexemes))
    pattern = f"%{query.strip()}%"
    return literal_column("story.headline").ilike(pattern) | literal_column("story.body").ilike(pattern)


def count_matches(dialect: str, query: str, cap: int) -> Select[Any] | None:
    """How many stories contain every word, counted inside the full-text index and only up to `cap`
    (a fraction of a millisecond for a word in every story, where counting through `matches` gathers
    every match first); None where the engine has no such shortcut (then count through `matches`)."""
    words = terms(query)
    if dialect != "sqlite" or not words:
        return None
    found: Select[Any] = select(literal_column("rowid")).select_from(table("story_fts")).where(text("story_fts MATCH :fts_query"))
    return select(func.count()).select_from(found.limit(cap).params(fts_query=_fts5_query(words)).subquery())


def walk_newest_first(statement: SelectT, story: type, *, by_status: bool, dialect: str) -> SelectT:
    """When a search matches much of the archive, walk the stories newest first and stop at the page,
    instead of fetching every match and sorting it (SQLite's default plan for an FTS match). The
    matches are gathered once, not looked up story by story: the last word is a prefix, and FTS5
    merges a prefix's postings anew for every lookup (tens of milliseconds each on 100,000 stories)."""
    if dialect != "sqlite":
        return statement
    index = "ix_story_status_updated" if by_status else "ix_story_updated_at"
    return statement.with_hint(story, f"INDEXED BY {index}", "sqlite")


def _fts5_query(words: list[str]) -> str:
    quoted = [_fts5_quote(word) for word in words]
    if len(words[-1]) >= MIN_PREFIX:
        quoted[-1] += "*"
    return " ".join(quoted)


def _fts5_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _tsquery_quote(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"
