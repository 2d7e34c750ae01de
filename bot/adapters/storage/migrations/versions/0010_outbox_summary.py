"""Outbox rows over a chat's alert cap wait for a summary (issue 12, item 7): `outbox.summary`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:00:00

A scan cycle queues at most MAX_ALERTS_PER_CHAT new alerts per chat (bot/core/delivery/alert_cap.py);
the rows over it are written with `summary` set, and the sender delivers a chat's due summary rows as
one digest-like message instead of one alert each. Plain ADD COLUMN with a server default.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("summary", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("outbox", "summary")
