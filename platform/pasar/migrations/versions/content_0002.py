"""a buyer likes a video once: repeated likes are folded into the first, then kept unique

Revision ID: content_0002
Revises: content_0001
Create Date: 2026-11-27 10:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = 'content_0002'
down_revision = 'content_0001'
branch_labels = None
depends_on = None

_ONE_LIKE = sa.text("kind = 'like' AND video_id IS NOT NULL")


def upgrade() -> None:
    # Likes counted more than once before: keep each buyer's first like of a video.
    op.execute(
        "DELETE FROM interactions WHERE kind = 'like' AND video_id IS NOT NULL AND id NOT IN ("
        "SELECT MIN(id) FROM interactions WHERE kind = 'like' AND video_id IS NOT NULL "
        "GROUP BY tenant_id, video_id, buyer_id)"
    )
    op.create_index('uq_interactions_video_like', 'interactions', ['tenant_id', 'video_id', 'buyer_id'],
                    unique=True, sqlite_where=_ONE_LIKE, postgresql_where=_ONE_LIKE)


def downgrade() -> None:
    op.drop_index('uq_interactions_video_like', table_name='interactions')
