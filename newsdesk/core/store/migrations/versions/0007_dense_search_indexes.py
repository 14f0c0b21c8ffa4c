"""Full-text indexes for a search that matches most of the archive: PostgreSQL's on a stored vector, SQLite's with prefixes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The expression index of 0002 left every test of a story outside the index to
compute its vector again from the text (a tenth of a millisecond each), and
the planner, blind to that cost, chose plans that did so for thousands of
stories. The stored generated column `story.search_document` is computed on
every write instead; adding it rewrites the story table once (about half a
minute for 100,000 stories here), under PostgreSQL's own transactional DDL, and
keeps every row. SQLite's FTS5 table (0002) is made again with an index of
three-letter prefixes (`search.SQLITE_FTS_V2`) and filled from the stories
(about 8 s for 100,000); it holds no data of its own, only the index of the
story table's text, which is never touched.
"""

from __future__ import annotations

from alembic import op

from newsdesk.core.store import search

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": (*search.SQLITE_FTS_V1_DROP, *search.SQLITE_FTS_V2), "postgresql": search.POSTGRES_FTS_V2}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": (*search.SQLITE_FTS_V1_DROP, *search.SQLITE_FTS_V1), "postgresql": search.POSTGRES_FTS_V2_DROP}.get(dialect, ())
    for statement in statements:
        op.execute(statement)
