"""When each process last finished a scan and a drain (`python -m bot health`); outbox rows by send time (metrics).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:00:00

Written at each heartbeat from what the process did since the last one; `python -m bot health` reads
them to tell a process that is alive but stuck (its jobs no longer finish) from one that works.
`ix_outbox_sent_at` lets the metrics sampler find the alerts sent since its last look without
reading every sent row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workers", sa.Column("last_scan_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("workers", sa.Column("last_drain_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_column("workers", "last_drain_at")
    op.drop_column("workers", "last_scan_at")
