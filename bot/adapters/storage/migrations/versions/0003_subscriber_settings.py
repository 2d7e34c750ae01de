"""Subscriber interface settings (issue 6).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:00:00

`subscribers.interface_language`: the language the bot talks to the subscriber in, NULL until they
choose one (then their Telegram app's language decides). Plain ALTER TABLE ADD/DROP COLUMN on both
backends (SQLite 3.35+ drops columns natively); a batch "move and copy" of `subscribers` is avoided
because with foreign keys on, SQLite's DROP TABLE would cascade to every keyword.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("interface_language", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("subscribers", "interface_language")
