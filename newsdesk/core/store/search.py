"""Full-text search over headline, summary and body: the one place with engine-specific SQL.

SQLite uses an FTS5 table kept in sync by triggers (with an index of three-letter
prefixes since V2); PostgreSQL a stored
generated column, `story.search_document`, holding `to_tsvector('simple', …)`
with a GIN index on it ('simple' because stories come in many languages and
stemming one language's way would miss the others). The column, not an
expression index as before (V1), because a search that matches most of the
archive is answered by walking the stories newest first and testing each: a
stored vector costs microseconds to test, computing it again from the text a
tenth of a millisecond, and the planner, which cannot see that, chose plans
that computed it for every draft (10 to 29 s for a word in every story with a
status filter). The DDL is versioned by name: a migration uses the constant of its day.
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
SQLITE_FTS_V2 = (
    SQLITE_FTS_V1[0].replace("remove_diacritics 2'", "remove_diacritics 2', prefix='3'"),
    *SQLITE_FTS_V1[1:],
)
"""V1 with an index of three-letter prefixes: the first search as a word is typed (three letters, `MIN_PREFIX`) otherwise
merges the postings of every word it begins (a quarter to half a second for 'dan' on 100,000 stories, 0.1 ms with it),
for an index about 75% larger. Longer prefixes are merged as before; they begin far fewer words. Dropped as V1 is."""

POSTGRES_DOCUMENT = (
    "to_tsvector('simple', coalesce(story.headline, '') || ' ' || coalesce(story.summary, '') || ' ' || coalesce(story.body, ''))"
)
POSTGRES_FTS_V1 = (f"CREATE INDEX ix_story_fulltext ON story USING gin (({POSTGRES_DOCUMENT}))",)
POSTGRES_FTS_V1_DROP = ("DROP INDEX IF EXISTS ix_story_fulltext",)
POSTGRES_FTS_V2 = (
    # V1's very document, so every search finds what it found; a generated column names its own row's columns bare.
    f"ALTER TABLE story ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({POSTGRES_DOCUMENT.replace('story.', '')}) STORED",
    "CREATE INDEX ix_story_search_document ON story USING gin (search_document)",
    *POSTGRES_FTS_V1_DROP,
    "ANALYZE story",  # the planner's word frequencies for the new column, so a rare word is looked up and a common one walked
)
POSTGRES_FTS_V2_DROP = ("ALTER TABLE story DROP COLUMN IF EXISTS search_document", *POSTGRES_FTS_V1)

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

    `walking` (a search known to match more than a page's worth, see `walk_newest_first`)
    gives a form no full-text index can serve, so the stories are walked newest first through
    their recency index, each tested, until the page is full; the rows are the same. On SQLite
    the unary `+` keeps the planner from fetching each match by id and sorting them all (the
    matches are gathered once, as a list of ids, and each story tested against it): a word in
    every one of 100,000 stories, a tenth of the time of the sort. On PostgreSQL the stored
    vector is tested; the planner's guess at a prefix's frequency is a heuristic that can put
    a word in every story at 2% and sort every draft instead, so the form hides it (`coalesce`:
    the document is never null)."""
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
        test = "story.search_document @@ to_tsquery('simple', :ts_query)"
        return text(f"coalesce({test}, false)" if walking else test).bindparams(ts_query=" & ".join(lexemes))
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
