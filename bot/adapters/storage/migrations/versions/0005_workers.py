"""Several processes sharing the work (issue 7): outbox leases per chat and the workers table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 00:00:00

`outbox.leased_until` / `outbox.leased_by`: a sender's claim on a row, kept apart from
`next_attempt_at` (when a retry is due), so a chat whose rows are leased can be skipped as a whole and a
settled row drops its lease. `workers`: one row per running process (role, heartbeat, counters); the
number of live senders divides the overall send rate and each claim's fair share. Plain ADD/DROP
COLUMN on both backends (see 0002 for why no batch copy of a table with foreign keys).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("outbox", sa.Column("leased_by", sa.String(100), nullable=True))
    op.create_index("ix_outbox_status_leased_until", "outbox", ["status", "leased_until"])
    op.create_index("ix_outbox_chat_id_status", "outbox", ["chat_id", "status"])
    op.create_table(
        "workers",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feeds_checked", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("alerts_sent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("messages_sent", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_workers"),
        sa.CheckConstraint("role IN ('all', 'updates', 'worker')", name="ck_workers_role"),
    )
    op.create_index("ix_workers_heartbeat_at", "workers", ["heartbeat_at"])


def downgrade() -> None:
    op.drop_index("ix_workers_heartbeat_at", table_name="workers")
    op.drop_table("workers")
    op.drop_index("ix_outbox_chat_id_status", table_name="outbox")
    op.drop_index("ix_outbox_status_leased_until", table_name="outbox")
    op.drop_column("outbox", "leased_by")
    op.drop_column("outbox", "leased_until")
