"""SQLAlchemy Core table definitions: the single description of the database the migrations build.

Every timestamp column is `UTCDateTime`: aware UTC datetimes go in and come out, on SQLite too
(which stores naive text), so comparisons such as `next_check_at <= now` work on both backends.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    true,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

IDENTITY_LENGTH = 255
"""Longest entry identity stored verbatim; longer ones are stored as a sha256 digest (see storage)."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that accepts only aware datetimes and always returns aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        # SQLite stores text without an offset; strip it so every stored value is comparable UTC.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("url", String(2048), nullable=False, unique=True),
    Column("lang", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_check_at", UTCDateTime, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("last_error", Text),
    Column("last_error_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("checks", Integer, nullable=False),
    Column("not_modified", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("entries_per_day", Float, nullable=False, server_default="0"),
    Column("observed_seconds", Float, nullable=False, server_default="0"),
    Column("ttl_seconds", Float),
    Column("failing_since", UTCDateTime),
    Column("failure_notified", Boolean, nullable=False, server_default="0"),
    Column("leased_by", String(100)),  # the claimant checking it now (NULL: not claimed); see 0009
    CheckConstraint("source IN ('file', 'admin')", name="source"),
    Index("ix_feeds_active_next_check_at", "active", "next_check_at"),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("identity", String(IDENTITY_LENGTH), nullable=False),
    Column("guid", Text),
    Column("link", Text),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("lang", String(16)),
    Column("published_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("story_id", Integer),  # the story it joined (matched entries only); see 0006
    UniqueConstraint("feed_id", "identity"),
    Index("ix_entries_story_id", "story_id"),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("language", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("interface_language", String(16)),  # NULL: follow the Telegram app's language
    Column("time_zone", String(64)),  # NULL: UTC
    Column("quiet_start", Integer),  # local minutes of the day; NULL: no quiet hours
    Column("quiet_end", Integer),
    Column("quiet_mode", String(8), nullable=False, server_default="silent"),
    Column("digest_mode", String(8), nullable=False, server_default="off"),
    Column("chat_type", String(16), nullable=False, server_default="private"),  # group, supergroup, channel
    Column("thread_id", BigInteger),  # the forum topic that receives alerts; NULL: the main chat
    Column("owner_id", BigInteger),  # who connected a channel and manages it from their private chat
    Column("title", String(255)),  # a group's or channel's title when it subscribed
    Column("corroborated_only", Boolean, nullable=False, server_default=false()),  # wait for a second source
    Index("ix_subscribers_owner_id", "owner_id"),
)

keywords = Table(
    "keywords",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, ForeignKey("subscribers.chat_id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("label", Text, nullable=False),
    Column("concept", Text, nullable=False),
    Column("builtin", Boolean, nullable=False),
    Column("urgent", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "key"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("entry_id", Integer, ForeignKey("entries.id", ondelete="CASCADE"), nullable=False),
    Column("keyword", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("telegram_message_id", BigInteger),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("digest", Boolean, nullable=False, server_default=false()),  # waits for / belongs to a digest
    Column("leased_until", UTCDateTime),  # claimed by a sender until then (NULL: not claimed); see 0005
    Column("leased_by", String(100)),  # the claimant (`Storage.claimant`) holding the lease
    Column("story_id", Integer),  # the entry's story (NULL before 0006)
    Column("summary", Boolean, nullable=False, server_default=false()),  # over the cycle's cap: summarised (0010)
    UniqueConstraint("chat_id", "entry_id"),
    CheckConstraint("status IN ('pending', 'sent', 'failed', 'cancelled')", name="status"),
    Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_outbox_status_leased_until", "status", "leased_until"),
    Index("ix_outbox_chat_id_status", "chat_id", "status"),
    Index("ix_outbox_sent_at", "sent_at"),  # metrics: alerts sent since the last sample (0008)
)

translations = Table(
    "translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text_hash", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("target", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("translated", Text, nullable=False),
    Column("provider", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("text_hash", "source", "target"),
)

mutes = Table(
    "mutes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, ForeignKey("subscribers.chat_id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", String(255), nullable=False),
    Column("until", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "kind", "value"),
    CheckConstraint("kind IN ('keyword', 'source')", name="kind"),
)

workers = Table(
    "workers",
    metadata,
    Column("id", String(100), primary_key=True),  # `Storage.claimant`: host, process id and a random suffix
    Column("role", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("heartbeat_at", UTCDateTime, nullable=False),
    Column("stopped_at", UTCDateTime),
    Column("feeds_checked", Integer, nullable=False, server_default="0"),
    Column("alerts_sent", Integer, nullable=False, server_default="0"),
    Column("messages_sent", Integer, nullable=False, server_default="0"),
    Column("last_scan_at", UTCDateTime),  # when this process last finished a scan tick (0008)
    Column("last_drain_at", UTCDateTime),  # ... and an outbox drain
    CheckConstraint("role IN ('all', 'updates', 'worker')", name="role"),
    Index("ix_workers_heartbeat_at", "heartbeat_at"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_published", UTCDateTime, nullable=False),
    Column("last_published", UTCDateTime, nullable=False),
    Column("features", Text, nullable=False),  # JSON: bot.core.stories.clustering.StoryFeatures.to_json
    Column("sources", Text, nullable=False),  # JSON list of sites
    Column("languages", Text, nullable=False),  # JSON list of language codes
    Column("reports", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_stories_first_published", "first_published"),
)

story_messages = Table(
    "story_messages",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("message_id", BigInteger),  # the Telegram message carrying the story's alert
    Column("outbox_id", Integer),  # the row its buttons refer to
    Column("text", Text, nullable=False),  # as shown now
    Column("base_text", Text, nullable=False),  # the first report's alert, without the sources block
    Column("entry_ids", Text, nullable=False),  # JSON list of the entries it lists
    Column("editable", Boolean, nullable=False, server_default=true()),  # False: later reports reply instead
    Column("sent_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

pending_translations = Table(
    "pending_translations",
    metadata,
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("content", Text, nullable=False),  # JSON: bot.core.delivery.late_translation.encode(AlertContent)
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_pending_translations_created_at", "created_at"),
)
"""Alerts sent untranslated (every translator failed), waiting to be edited once one recovers; see 0011."""
