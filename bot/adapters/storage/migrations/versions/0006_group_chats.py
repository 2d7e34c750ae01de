"""Groups, supergroups and channels as subscribers (issue 17).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:00:00

`subscribers.chat_type`: private, group, supergroup or channel (existing rows are private chats).
`subscribers.thread_id`: the forum topic of a group that receives alerts (NULL: the main chat).
`subscribers.owner_id`: the user who connected a channel and manages it from a private chat with the bot
(NULL for other chats). `subscribers.title`: a group's or channel's title when it subscribed, for lists.
Plain ADD COLUMN on both backends (see 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("chat_type", sa.String(16), nullable=False, server_default="private"))
    op.add_column("subscribers", sa.Column("thread_id", sa.BigInteger(), nullable=True))
    op.add_column("subscribers", sa.Column("owner_id", sa.BigInteger(), nullable=True))
    op.add_column("subscribers", sa.Column("title", sa.String(255), nullable=True))
    op.create_index("ix_subscribers_owner_id", "subscribers", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_subscribers_owner_id", table_name="subscribers")
    op.drop_column("subscribers", "title")
    op.drop_column("subscribers", "owner_id")
    op.drop_column("subscribers", "thread_id")
    op.drop_column("subscribers", "chat_type")
