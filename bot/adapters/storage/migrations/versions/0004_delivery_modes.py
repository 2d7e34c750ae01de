"""Delivery modes (issue 6): quiet hours, digests, urgent keywords and mutes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 00:00:00

`subscribers`: time zone (NULL: UTC), quiet hours as local minutes of the day (NULL: none), what quiet
hours do (`silent` or `hold`) and the digest mode (`off`, `hourly`, `daily`). `keywords.urgent`: alerts
for it ignore quiet hours and digests. `outbox.digest`: the row waits for (or belongs to) a digest.
`mutes`: a keyword or a source silenced for a chat until a time. Plain ADD/DROP COLUMN on both
backends (see 0003 for why no batch copy of `subscribers`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("time_zone", sa.String(64), nullable=True))
    op.add_column("subscribers", sa.Column("quiet_start", sa.Integer(), nullable=True))
    op.add_column("subscribers", sa.Column("quiet_end", sa.Integer(), nullable=True))
    op.add_column("subscribers", sa.Column("quiet_mode", sa.String(8), nullable=False, server_default="silent"))
    op.add_column("subscribers", sa.Column("digest_mode", sa.String(8), nullable=False, server_default="off"))
    op.add_column("keywords", sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("outbox", sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["subscribers.chat_id"], name="fk_mutes_chat_id_subscribers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_mutes"),
        sa.UniqueConstraint("chat_id", "kind", "value", name="uq_mutes_chat_id_kind_value"),
        sa.CheckConstraint("kind IN ('keyword', 'source')", name="ck_mutes_kind"),
    )


def downgrade() -> None:
    op.drop_table("mutes")
    op.drop_column("outbox", "digest")
    op.drop_column("keywords", "urgent")
    for column in ("digest_mode", "quiet_mode", "quiet_end", "quiet_start", "time_zone"):
        op.drop_column("subscribers", column)
