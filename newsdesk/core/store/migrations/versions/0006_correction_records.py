"""Typed, dated corrections as records of their own; the story's one correction note becomes the first of them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Every story with a correction note gets one `correction` record of kind
"correction" holding that text, dated when the story was last corrected (or
published, for a note set by hand), by whoever last corrected it; then the
story's `correction_note` column goes, dropped in place (SQLite 3.35 and later),
so the story table is never copied (see 0003 for why). The downgrade puts the
column back holding each story's newest correction's text: a store taken back
keeps the notice its readers saw last.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsdesk.core.store.timeutil import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NOTES_TO_RECORDS = """
INSERT INTO correction (story_id, kind, text, user_id, created_at)
SELECT story.id, 'correction', story.correction_note,
       (SELECT e.user_id FROM workflow_event e WHERE e.story_id = story.id AND e.action = 'correct' ORDER BY e.id DESC LIMIT 1),
       COALESCE(story.corrected_at, story.published_at, story.updated_at)
FROM story WHERE story.correction_note <> '' ORDER BY story.id
"""

RECORDS_TO_NOTES = """
UPDATE story SET correction_note = COALESCE((
    SELECT c.text FROM correction c WHERE c.story_id = story.id ORDER BY c.created_at DESC, c.id DESC LIMIT 1
), '')
"""


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_id", sa.Integer(), sa.ForeignKey("story.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_correction_story_id", "correction", ["story_id"])
    op.create_index("ix_correction_created_at", "correction", ["created_at"])
    op.execute(NOTES_TO_RECORDS)
    with op.batch_alter_table("story", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("correction_note")


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("correction_note", sa.String(), nullable=False, server_default=""))
    op.execute(RECORDS_TO_NOTES)
    op.drop_index("ix_correction_created_at", table_name="correction")
    op.drop_index("ix_correction_story_id", table_name="correction")
    op.drop_table("correction")
