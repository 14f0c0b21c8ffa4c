"""The source hash of an imported story, so a batch imported again skips what it already brought in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Adding a nullable column and its index is an ALTER on SQLite too, so the story
table is never copied (a copy would drop the full-text triggers of 0002 and,
with foreign keys on, cascade a delete into every story's revisions). The
downgrade drops the column in place for the same reason (SQLite 3.35 and later).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("story", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("source_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_story_source_hash"), ["source_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None, recreate="never") as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_source_hash"))
        batch_op.drop_column("source_hash")
