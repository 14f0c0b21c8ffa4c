"""Full-text search over stories, and an index for the budget's default order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

from newsdesk.core.store import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": search.SQLITE_FTS_V1, "postgresql": search.POSTGRES_FTS_V1}.get(dialect, ())
    for statement in statements:
        op.execute(statement)
    op.create_index("ix_story_status_updated", "story", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_story_status_updated", table_name="story")
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": search.SQLITE_FTS_V1_DROP, "postgresql": search.POSTGRES_FTS_V1_DROP}.get(dialect, ())
    for statement in statements:
        op.execute(statement)
