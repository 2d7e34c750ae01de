"""Feed leases name their holder (issue 11.3): `feeds.leased_by`, so that a dead process's claims can be
taken back at once instead of waiting for the lease to run out.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00

A claimed feed has `next_check_at` pushed forward by the lease and, now, `leased_by` set to the claimant
(`workers.id`); recording the check's outcome clears it. A process found dead (its previous run after a
restart, or a worker silent for three heartbeats) has its feeds made due again. Plain ADD COLUMN.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("leased_by", sa.String(100), nullable=True))


def downgrade() -> None:
    op.drop_column("feeds", "leased_by")
