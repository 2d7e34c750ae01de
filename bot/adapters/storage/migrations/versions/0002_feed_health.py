"""Feed scheduling and health columns (issue 5).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:00:00

`entries_per_day` and `observed_seconds` hold the publishing rate that drives adaptive scheduling,
`ttl_seconds` the feed's RSS <ttl>, `failing_since` and `failure_notified` the admin failure-notice
state (so a notice is sent once, across restarts).

Plain ALTER TABLE ADD/DROP COLUMN on both backends (SQLite 3.35+ drops columns natively). A batch
"move and copy" is avoided on purpose: with foreign keys on, SQLite's DROP TABLE of the old `feeds`
would cascade and delete every entry and outbox row. Defaults are literal strings for the same reason
(a SQL-expression default would make Alembic recreate the table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("entries_per_day", sa.Float(), nullable=False, server_default="0"),
        sa.Column("observed_seconds", sa.Float(), nullable=False, server_default="0"),
        sa.Column("ttl_seconds", sa.Float()),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        sa.Column("failure_notified", sa.Boolean(), nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("feeds", column)


def downgrade() -> None:
    for column in reversed(_columns()):
        op.drop_column("feeds", column.name)
