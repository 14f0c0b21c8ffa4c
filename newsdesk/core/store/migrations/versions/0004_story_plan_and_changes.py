"""The day's plan on a story (planned length, deadline, assignee), the return note, and the change signal.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

The new columns are nullable or have a server default, so every one is an
ALTER on SQLite too and the story table is never copied (see 0003 for why).
`return_note` is the note of the editor's last return, kept with the draft
until the reporter submits again (the rule: `rules.workflow.return_note_after`);
stories already returned before this revision get theirs from their last
workflow event, so the budget shows them as returned too. The change signal's
table and triggers are engine-specific (`core.store.changes`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsdesk.core.store import changes
from newsdesk.core.store.timeutil import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RETURNED_DRAFTS = """
UPDATE story SET return_note = (
    SELECT e.note FROM workflow_event e WHERE e.story_id = story.id ORDER BY e.id DESC LIMIT 1
)
WHERE status = 'draft' AND (
    SELECT e.action FROM workflow_event e WHERE e.story_id = story.id ORDER BY e.id DESC LIMIT 1
) = 'return'
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("story", sa.Column("planned_words", sa.Integer(), nullable=True))
    op.add_column("story", sa.Column("deadline", UTCDateTime(), nullable=True))
    if dialect == "sqlite":  # Alembic would want to copy the table to add a foreign key; SQLite's ALTER takes a column-level one
        op.execute('ALTER TABLE story ADD COLUMN assignee_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL')
    else:
        op.add_column("story", sa.Column("assignee_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True))
    op.add_column("story", sa.Column("return_note", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_story_deadline", "story", ["deadline"])
    op.create_index("ix_story_assignee_id", "story", ["assignee_id"])
    op.execute(RETURNED_DRAFTS)
    statements = {"sqlite": changes.SQLITE_CHANGES_V1, "postgresql": changes.POSTGRES_CHANGES_V1}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": changes.SQLITE_CHANGES_V1_DROP, "postgresql": changes.POSTGRES_CHANGES_V1_DROP}.get(dialect, ())
    for statement in statements:
        op.execute(statement)
    op.drop_index("ix_story_assignee_id", table_name="story")
    op.drop_index("ix_story_deadline", table_name="story")
    with op.batch_alter_table("story", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("return_note")
        batch_op.drop_column("assignee_id")
        batch_op.drop_column("deadline")
        batch_op.drop_column("planned_words")
