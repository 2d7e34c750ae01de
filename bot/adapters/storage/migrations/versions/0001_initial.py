"""Initial schema: feeds, entries, subscribers, keywords, outbox, translations.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        _ts("next_check_at", nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        _ts("last_error_at"),
        _ts("last_success_at"),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("not_modified", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
        sa.CheckConstraint("source IN ('file', 'admin')", name="ck_feeds_source"),
    )
    op.create_index("ix_feeds_active_next_check_at", "feeds", ["active", "next_check_at"])

    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(255), nullable=False),
        sa.Column("guid", sa.Text()),
        sa.Column("link", sa.Text()),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(16)),
        _ts("published_at"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_entries_feed_id_feeds", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("feed_id", "identity", name="uq_entries_feed_id_identity"),
    )

    op.create_table(
        "subscribers",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name="pk_subscribers"),
    )

    op.create_table(
        "keywords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("concept", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_keywords"),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["subscribers.chat_id"], name="fk_keywords_chat_id_subscribers", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("chat_id", "key", name="uq_keywords_chat_id_key"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at", nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger()),
        sa.Column("last_error", sa.Text()),
        _ts("created_at", nullable=False),
        _ts("sent_at"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name="fk_outbox_entry_id_entries", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("chat_id", "entry_id", name="uq_outbox_chat_id_entry_id"),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'cancelled')", name="ck_outbox_status"
        ),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translated", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_translations"),
        sa.UniqueConstraint(
            "text_hash", "source", "target", name="uq_translations_text_hash_source_target"
        ),
    )


def downgrade() -> None:
    op.drop_table("translations")
    op.drop_index("ix_outbox_status_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("keywords")
    op.drop_table("subscribers")
    op.drop_table("entries")
    op.drop_index("ix_feeds_active_next_check_at", table_name="feeds")
    op.drop_table("feeds")
