"""Initial schema: every table of DESIGN.md.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['section.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_section_slug'), ['slug'], unique=True)

    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=512), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_username'), ['username'], unique=True)

    op.create_table('dictionary_word',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('word', 'language', name='uq_dictionary_word')
    )
    with op.batch_alter_table('dictionary_word', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dictionary_word_added_by_id'), ['added_by_id'], unique=False)

    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=64), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('headline', sa.String(), nullable=False),
    sa.Column('subheadline', sa.String(), nullable=False),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('byline', sa.String(), nullable=False),
    sa.Column('dateline_place', sa.String(length=200), nullable=False),
    sa.Column('dateline_credit', sa.String(length=100), nullable=False),
    sa.Column('dateline_date', sa.Date(), nullable=True),
    sa.Column('tagline', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('embargo', sa.DateTime(), nullable=True),
    sa.Column('correction_note', sa.String(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('corrected_at', sa.DateTime(), nullable=True),
    sa.Column('killed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('lock_holder_id', sa.Integer(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('version >= 1', name='ck_story_version_positive'),
    sa.ForeignKeyConstraint(['lock_holder_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_guid'), ['guid'], unique=True)
        batch_op.create_index(batch_op.f('ix_story_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_story_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_updated_at'), ['updated_at'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_user_id'), ['user_id'], unique=False)

    op.create_table('related_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('target_story_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(url IS NULL) <> (target_story_id IS NULL)', name='ck_related_link_one_target'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('story_id', 'position', name='uq_related_link_position')
    )
    with op.batch_alter_table('related_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_link_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_related_link_target_story_id'), ['target_story_id'], unique=False)

    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('story_version', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('story_id', 'number', name='uq_revision_number')
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revision_user_id'), ['user_id'], unique=False)

    op.create_table('story_section',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'section_id'),
    sa.UniqueConstraint('story_id', 'position', name='uq_story_section_position')
    )
    with op.batch_alter_table('story_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_section_section_id'), ['section_id'], unique=False)

    op.create_table('workflow_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workflow_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_event_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_event_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workflow_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workflow_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_workflow_event_story_id'))

    op.drop_table('workflow_event')
    with op.batch_alter_table('story_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_section_section_id'))

    op.drop_table('story_section')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_user_id'))
        batch_op.drop_index(batch_op.f('ix_revision_story_id'))

    op.drop_table('revision')
    with op.batch_alter_table('related_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_link_target_story_id'))
        batch_op.drop_index(batch_op.f('ix_related_link_story_id'))

    op.drop_table('related_link')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_user_id'))
        batch_op.drop_index(batch_op.f('ix_comment_story_id'))

    op.drop_table('comment')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_updated_at'))
        batch_op.drop_index(batch_op.f('ix_story_status'))
        batch_op.drop_index(batch_op.f('ix_story_slug'))
        batch_op.drop_index(batch_op.f('ix_story_owner_id'))
        batch_op.drop_index(batch_op.f('ix_story_guid'))

    op.drop_table('story')
    with op.batch_alter_table('dictionary_word', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dictionary_word_added_by_id'))

    op.drop_table('dictionary_word')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_username'))

    op.drop_table('user')
    op.drop_table('setting')
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_slug'))
        batch_op.drop_index(batch_op.f('ix_section_parent_id'))

    op.drop_table('section')
