"""Photographs: the image table (original bytes, once per content hash) and each story's images in order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Two new tables and nothing altered, so every existing row stays as it was on
both engines. `image.data` is a BLOB on SQLite and a BYTEA on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsdesk.core.store.timeutil import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("credit", sa.String(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_image_sha256", "image", ["sha256"], unique=True)
    op.create_index("ix_image_added_by_id", "image", ["added_by_id"])
    op.create_table(
        "story_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("alt", sa.String(), nullable=False),
        sa.Column("caption", sa.String(), nullable=False),
        sa.Column("credit", sa.String(), nullable=False),
        sa.Column("focus_x", sa.Float(), nullable=False),
        sa.Column("focus_y", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["image_id"], ["image.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("story_id", "position", name="uq_story_image_position"),
    )
    op.create_index("ix_story_image_story_id", "story_image", ["story_id"])
    op.create_index("ix_story_image_image_id", "story_image", ["image_id"])


def downgrade() -> None:
    op.drop_index("ix_story_image_image_id", table_name="story_image")
    op.drop_index("ix_story_image_story_id", table_name="story_image")
    op.drop_table("story_image")
    op.drop_index("ix_image_added_by_id", table_name="image")
    op.drop_index("ix_image_sha256", table_name="image")
    op.drop_table("image")
