"""Alerts sent untranslated wait for their translation (issue 16.4): `pending_translations`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:00:00

When every translator failed, the alert goes out with the original text and a note; what is needed to
render it again (its `AlertContent`, as JSON) is kept here beside its outbox row, written in the same
transaction. Once a translator answers again the sender edits the message and deletes the row; rows
older than the story window are deleted unused. A new table, nothing else changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_translations",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name="fk_pending_translations_outbox_id_outbox",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("outbox_id", name="pk_pending_translations"),
    )
    op.create_index("ix_pending_translations_created_at", "pending_translations", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_translations_created_at", table_name="pending_translations")
    op.drop_table("pending_translations")
