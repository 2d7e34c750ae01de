"""Storage: the bot's database (SQLite through aiosqlite, PostgreSQL through asyncpg), SQLAlchemy 2 async.

Time is always a parameter (`now`), never read from the clock here; datetimes are aware UTC in and out.
Claiming work (due feeds, due outbox rows) selects rows and pushes their due time forward by a lease
in one transaction; on PostgreSQL the select is `FOR UPDATE SKIP LOCKED`, and the update re-checks
the due time, so two workers never claim the same row before its lease expires.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, event, false, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from bot.adapters import schema as db
from bot.adapters.migrations import upgrade_to_head
from bot.core.models import (
    Concept,
    Delivery,
    Feed,
    FeedConfig,
    OutboxMessage,
    ParsedEntry,
    Subscriber,
    SubscriberKeyword,
)
from bot.errors import StorageError

_FEED_COLUMNS = [db.feeds.c[name] for name in Feed.__dataclass_fields__]
_MAX_ERROR = 1000
_CHUNK = 500


def normalize_database_url(database_url: str) -> URL:
    """The async SQLAlchemy URL for `database_url` (sqlite -> aiosqlite, postgres(ql) -> asyncpg)."""
    try:
        url = make_url(database_url.strip())
    except ArgumentError:
        raise StorageError("DATABASE_URL is not a valid database URL") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+asyncpg")
        if "sslmode" in url.query:  # libpq spelling (Heroku and friends); asyncpg calls it `ssl`
            mode = url.query["sslmode"]
            url = url.difference_update_query(["sslmode"]).update_query_dict({"ssl": mode})
        return url
    raise StorageError(f"unsupported database {url.drivername!r} in DATABASE_URL: use sqlite:/// or postgresql://")


def identity_key(identity: str) -> str:
    """The stored form of an entry identity: verbatim, or a digest when longer than the column."""
    if len(identity) <= db.IDENTITY_LENGTH:
        return identity
    return "sha256:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _one_line(exc: BaseException, url: URL) -> str:
    message = (str(exc).strip().splitlines() or [""])[0][:300]
    if url.password:
        message = message.replace(str(url.password), "***")
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _sqlite_engine(url: URL) -> AsyncEngine:
    if url.database in (None, "", ":memory:"):
        engine = create_async_engine(url, poolclass=StaticPool)
    else:
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=5000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Storage:
    """All persistent state: feeds and their health, entries, subscribers, keywords, outbox, translations."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._pg = engine.dialect.name == "postgresql"

    @classmethod
    async def connect(cls, database_url: str) -> Storage:
        """Open the database at `database_url` and migrate it to the newest schema."""
        url = normalize_database_url(database_url)
        safe = url.render_as_string(hide_password=True)
        engine: AsyncEngine | None = None
        try:
            if url.get_backend_name() == "sqlite":
                engine = _sqlite_engine(url)
            else:
                engine = create_async_engine(url, pool_pre_ping=True, connect_args={"timeout": 10})
            async with engine.begin() as conn:
                await conn.run_sync(upgrade_to_head)
        except Exception as exc:
            if engine is not None:
                await engine.dispose()
            raise StorageError(f"cannot open database {safe}: {_one_line(exc, url)}") from None
        return cls(engine)

    @property
    def engine(self) -> AsyncEngine:
        """The underlying engine (for diagnostics and tests)."""
        return self._engine

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()

    def _insert(self, table: Table) -> Any:
        return (postgresql.insert if self._pg else sqlite.insert)(table)

    async def _claim(
        self, table: Table, due: Any, ready: ColumnElement[bool], order: Sequence[Any],
        now: datetime, lease: timedelta, limit: int,
    ) -> list[Any]:
        if limit <= 0:
            return []
        query = select(table).where(ready, due <= now).order_by(*order).limit(limit)
        if self._pg:
            query = query.with_for_update(skip_locked=True)
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                return []
            claim = (
                update(table)
                .where(table.c.id.in_([r["id"] for r in rows]), ready, due <= now)
                .values({due.key: now + lease})
                .returning(table.c.id)
            )
            won = set((await conn.execute(claim)).scalars())
        return [row for row in rows if row["id"] in won]

    # -- feeds -------------------------------------------------------------------------------------

    async def sync_feeds(self, feeds: Sequence[FeedConfig], now: datetime) -> None:
        """Make the file-sourced feeds exactly `feeds` (by url); admin-added feeds are left alone."""
        wanted = {feed.url: feed for feed in feeds}
        t = db.feeds
        async with self._engine.begin() as conn:
            existing = {r.url: r for r in await conn.execute(select(t.c.id, t.c.url, t.c.active))}
            for url, feed in wanted.items():
                row = existing.get(url)
                if row is None:
                    await conn.execute(t.insert().values(self._new_feed(feed, "file", now)))
                else:
                    values: dict[str, Any] = {"name": feed.name, "lang": feed.lang, "source": "file"}
                    if not row.active:
                        values.update(active=True, next_check_at=now)
                    await conn.execute(update(t).where(t.c.id == row.id).values(values))
            stale = t.c.source == "file"
            if wanted:
                stale = stale & t.c.url.not_in(list(wanted))
            await conn.execute(update(t).where(stale, t.c.active == true()).values(active=False))

    @staticmethod
    def _new_feed(feed: FeedConfig, source: str, now: datetime) -> dict[str, Any]:
        return {
            "name": feed.name, "url": feed.url, "lang": feed.lang, "source": source, "active": True,
            "next_check_at": now, "error_count": 0, "checks": 0, "not_modified": 0, "created_at": now,
        }

    async def add_feed(self, feed: FeedConfig, now: datetime) -> Feed:
        """Add (or reactivate) an admin feed, due at once if it was not active."""
        t = db.feeds
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(t.c.id, t.c.active).where(t.c.url == feed.url))).first()
            if row is None:
                await conn.execute(t.insert().values(self._new_feed(feed, "admin", now)))
            else:
                values: dict[str, Any] = {"name": feed.name, "lang": feed.lang, "source": "admin"}
                if not row.active:
                    values.update(active=True, next_check_at=now)
                await conn.execute(update(t).where(t.c.id == row.id).values(values))
            stored = (await conn.execute(select(*_FEED_COLUMNS).where(t.c.url == feed.url))).mappings().one()
        return Feed(**stored)

    async def remove_feed(self, name_or_url: str) -> bool:
        """Deactivate the active feeds whose url is `name_or_url` or whose name matches it (any case)."""
        t = db.feeds
        wanted = name_or_url.strip()
        async with self._engine.begin() as conn:
            rows = (await conn.execute(select(t.c.id, t.c.name, t.c.url).where(t.c.active == true()))).all()
            ids = [r.id for r in rows if r.url == wanted or r.name.casefold() == wanted.casefold()]
            if ids:
                await conn.execute(update(t).where(t.c.id.in_(ids)).values(active=False))
        return bool(ids)

    async def list_feeds(self) -> list[Feed]:
        """The active feeds, by name."""
        t = db.feeds
        query = select(*_FEED_COLUMNS).where(t.c.active == true()).order_by(t.c.name, t.c.id)
        async with self._engine.connect() as conn:
            return [Feed(**row) for row in (await conn.execute(query)).mappings()]

    async def claim_due_feeds(self, now: datetime, lease: timedelta, limit: int) -> list[Feed]:
        """Lease up to `limit` due active feeds (oldest due first); returns them as they were."""
        t = db.feeds
        rows = await self._claim(
            t, t.c.next_check_at, t.c.active == true(), (t.c.next_check_at, t.c.id), now, lease, limit
        )
        return [Feed(**{c.key: row[c.key] for c in _FEED_COLUMNS}) for row in rows]

    async def _update_feed(self, feed_id: int, **values: Any) -> None:
        t = db.feeds
        async with self._engine.begin() as conn:
            await conn.execute(update(t).where(t.c.id == feed_id).values(checks=t.c.checks + 1, **values))

    async def record_fetch_failure(
        self, feed_id: int, error: str, now: datetime, next_check_at: datetime
    ) -> None:
        """Count a failed check and schedule the next one."""
        await self._update_feed(
            feed_id, error_count=db.feeds.c.error_count + 1, last_error=error[:_MAX_ERROR],
            last_error_at=now, next_check_at=next_check_at,
        )

    async def record_not_modified(self, feed_id: int, now: datetime, next_check_at: datetime) -> None:
        """Count a successful check that found nothing new (HTTP 304)."""
        await self._update_feed(
            feed_id, error_count=0, last_success_at=now, not_modified=db.feeds.c.not_modified + 1,
            next_check_at=next_check_at,
        )

    async def known_identities(self, feed_id: int, identities: Collection[str]) -> set[str]:
        """The subset of `identities` already stored for the feed."""
        by_key = {identity_key(i): i for i in identities}
        keys, found = list(by_key), set[str]()
        t = db.entries
        async with self._engine.connect() as conn:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                query = select(t.c.identity).where(t.c.feed_id == feed_id, t.c.identity.in_(chunk))
                found.update(by_key[key] for key in (await conn.execute(query)).scalars())
        return found

    async def store_fetch_result(
        self, feed_id: int, *, entries: Sequence[ParsedEntry], deliveries: Mapping[str, Sequence[Delivery]],
        etag: str | None, last_modified: str | None, now: datetime, next_check_at: datetime,
        url: str | None = None,
    ) -> int:
        """Record new entries, their outbox rows and the feed's success in one transaction.

        Entries already stored are skipped, and so are their deliveries; returns how many were inserted.
        """
        t, o = db.entries, db.outbox
        async with self._engine.begin() as conn:
            feed_lang = (await conn.execute(select(db.feeds.c.lang).where(db.feeds.c.id == feed_id))).scalar()
            if feed_lang is None:
                raise LookupError(f"unknown feed id {feed_id}")
            inserted, seen = 0, set()
            for entry in entries:
                key = identity_key(entry.identity)
                if key in seen:
                    continue
                seen.add(key)
                stmt = self._insert(t).values(
                    feed_id=feed_id, identity=key, guid=entry.guid, link=entry.link, title=entry.title,
                    summary=entry.summary, lang=entry.lang or feed_lang, published_at=entry.published_at,
                    created_at=now,
                ).on_conflict_do_nothing(index_elements=["feed_id", "identity"]).returning(t.c.id)
                entry_id = (await conn.execute(stmt)).scalar()
                if entry_id is None:
                    continue
                inserted += 1
                rows = {
                    d.chat_id: {
                        "chat_id": d.chat_id, "entry_id": entry_id, "keyword": d.keyword, "text": d.text,
                        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
                    }
                    for d in reversed(deliveries.get(entry.identity, ()))
                }
                if rows:
                    insert = self._insert(o).on_conflict_do_nothing(index_elements=["chat_id", "entry_id"])
                    await conn.execute(insert, list(reversed(rows.values())))
            values: dict[str, Any] = {
                "etag": etag, "last_modified": last_modified, "error_count": 0, "last_success_at": now,
                "checks": db.feeds.c.checks + 1, "next_check_at": next_check_at,
            }
            if url is not None and len(url) <= db.feeds.c.url.type.length:  # type: ignore[attr-defined]
                taken = select(db.feeds.c.id).where(db.feeds.c.url == url, db.feeds.c.id != feed_id)
                if (await conn.execute(taken)).first() is None:  # a redirect onto another feed keeps its url
                    values["url"] = url
            await conn.execute(update(db.feeds).where(db.feeds.c.id == feed_id).values(values))
        return inserted

    # -- subscribers and keywords ------------------------------------------------------------------

    async def _add_concepts(
        self, conn: AsyncConnection, chat_id: int, concepts: Sequence[Concept], now: datetime
    ) -> int:
        added = 0
        for concept in concepts:
            stmt = self._insert(db.keywords).values(
                chat_id=chat_id, key=concept.key, label=concept.label, builtin=concept.builtin,
                created_at=now,
                concept=json.dumps(concept.to_dict(), ensure_ascii=False, sort_keys=True),
            ).on_conflict_do_nothing(index_elements=["chat_id", "key"]).returning(db.keywords.c.id)
            added += (await conn.execute(stmt)).scalar() is not None
        return added

    async def subscribe(
        self, chat_id: int, language: str, default_keywords: Sequence[Concept], now: datetime
    ) -> bool:
        """Subscribe a chat; True if it is new or was inactive. Keywords survive a /stop and /start."""
        s = db.subscribers
        async with self._engine.begin() as conn:
            active = (await conn.execute(select(s.c.active).where(s.c.chat_id == chat_id))).scalar()
            if active is None:
                stmt = self._insert(s).values(
                    chat_id=chat_id, language=language, active=True, created_at=now, updated_at=now
                ).on_conflict_do_nothing(index_elements=["chat_id"]).returning(s.c.chat_id)
                if (await conn.execute(stmt)).scalar() is None:
                    return False  # created concurrently by another request
                await self._add_concepts(conn, chat_id, default_keywords, now)
                return True
            if active:
                return False
            claim = (
                update(s)
                .where(s.c.chat_id == chat_id, s.c.active == false())
                .values(active=True, updated_at=now)
            )
            if (await conn.execute(claim)).rowcount == 0:
                return False
            if await self._count_keywords(conn, chat_id) == 0:
                await self._add_concepts(conn, chat_id, default_keywords, now)
            return True

    async def _deactivate(self, chat_id: int, reason: str, now: datetime) -> bool:
        s, o = db.subscribers, db.outbox
        async with self._engine.begin() as conn:
            stmt = (
                update(s)
                .where(s.c.chat_id == chat_id, s.c.active == true())
                .values(active=False, updated_at=now)
            )
            was_active = (await conn.execute(stmt)).rowcount > 0
            await conn.execute(
                update(o).where(o.c.chat_id == chat_id, o.c.status == "pending")
                .values(status="cancelled", last_error=reason[:_MAX_ERROR])
            )
        return was_active

    async def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """/stop: deactivate and cancel the chat's pending alerts; True if it was active."""
        return await self._deactivate(chat_id, "unsubscribed", now)

    async def deactivate(self, chat_id: int, reason: str, now: datetime) -> None:
        """Stop sending to a chat that cannot receive (e.g. it blocked the bot); cancels pending alerts."""
        await self._deactivate(chat_id, reason, now)

    async def get_subscriber(self, chat_id: int) -> Subscriber | None:
        """The subscriber, active or not, or None if the chat never subscribed."""
        s = db.subscribers
        async with self._engine.connect() as conn:
            query = select(s.c.chat_id, s.c.language, s.c.active).where(s.c.chat_id == chat_id)
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return Subscriber(chat_id=row.chat_id, language=row.language, active=row.active)

    async def set_language(self, chat_id: int, language: str, now: datetime) -> bool:
        """Set the chat's alert language; False if the chat never subscribed."""
        s = db.subscribers
        async with self._engine.begin() as conn:
            stmt = update(s).where(s.c.chat_id == chat_id).values(language=language, updated_at=now)
            return (await conn.execute(stmt)).rowcount > 0

    async def active_keywords(self) -> list[SubscriberKeyword]:
        """Every keyword of every active subscriber."""
        k, s = db.keywords, db.subscribers
        query = (
            select(k.c.chat_id, k.c.concept).join(s, s.c.chat_id == k.c.chat_id)
            .where(s.c.active == true()).order_by(k.c.chat_id, k.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [SubscriberKeyword(r.chat_id, Concept.from_dict(json.loads(r.concept))) for r in rows]

    async def keywords(self, chat_id: int) -> list[Concept]:
        """The chat's keywords in the order they were added."""
        k = db.keywords
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(k.c.concept).where(k.c.chat_id == chat_id).order_by(k.c.id))
            return [Concept.from_dict(json.loads(value)) for value in rows.scalars()]

    async def add_keyword(self, chat_id: int, concept: Concept, now: datetime) -> bool:
        """Add a keyword; False if the chat already has one with that key. The chat must exist."""
        async with self._engine.begin() as conn:
            s = db.subscribers
            if (await conn.execute(select(s.c.chat_id).where(s.c.chat_id == chat_id))).first() is None:
                raise LookupError(f"unknown subscriber {chat_id}")
            return await self._add_concepts(conn, chat_id, [concept], now) > 0

    async def remove_keyword(self, chat_id: int, key_or_label: str) -> Concept | None:
        """Remove the keyword whose key is `key_or_label`, else whose label matches it in any case."""
        k = db.keywords
        wanted = key_or_label.strip()
        async with self._engine.begin() as conn:
            query = select(k.c.id, k.c.key, k.c.label, k.c.concept).where(k.c.chat_id == chat_id)
            rows = (await conn.execute(query.order_by(k.c.id))).all()
            match = next((r for r in rows if r.key == wanted), None) or next(
                (r for r in rows if r.label.casefold() == wanted.casefold()), None
            )
            if match is None:
                return None
            await conn.execute(k.delete().where(k.c.id == match.id))
        return Concept.from_dict(json.loads(match.concept))

    @staticmethod
    async def _count_keywords(conn: AsyncConnection, chat_id: int) -> int:
        query = select(func.count()).select_from(db.keywords).where(db.keywords.c.chat_id == chat_id)
        return int((await conn.execute(query)).scalar_one())

    async def count_keywords(self, chat_id: int) -> int:
        """How many keywords the chat has."""
        async with self._engine.connect() as conn:
            return await self._count_keywords(conn, chat_id)

    async def stats(self) -> dict[str, int]:
        """Counts for /status and the admin: subscribers, feeds, entries and outbox rows by status."""
        s, f, o = db.subscribers, db.feeds, db.outbox
        queries = {
            "active_subscribers": select(func.count()).select_from(s).where(s.c.active == true()),
            "feeds": select(func.count()).select_from(f).where(f.c.active == true()),
            "entries": select(func.count()).select_from(db.entries),
            **{
                f"{status}_outbox": select(func.count()).select_from(o).where(o.c.status == status)
                for status in ("pending", "sent", "failed")
            },
        }
        async with self._engine.connect() as conn:
            return {name: int((await conn.execute(q)).scalar_one()) for name, q in queries.items()}

    # -- outbox ------------------------------------------------------------------------------------

    async def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        """Lease up to `limit` due pending alerts, oldest first."""
        o = db.outbox
        pending = o.c.status == "pending"
        rows = await self._claim(o, o.c.next_attempt_at, pending, (o.c.id,), now, lease, limit)
        fields = OutboxMessage.__dataclass_fields__
        return [OutboxMessage(**{name: row[name] for name in fields}) for row in rows]

    async def _update_outbox(self, outbox_id: int, *conditions: ColumnElement[bool], **values: Any) -> None:
        o = db.outbox
        async with self._engine.begin() as conn:
            await conn.execute(update(o).where(o.c.id == outbox_id, *conditions).values(**values))

    async def mark_sent(self, outbox_id: int, telegram_message_id: int | None, now: datetime) -> None:
        """Telegram accepted the message."""
        await self._update_outbox(
            outbox_id, status="sent", telegram_message_id=telegram_message_id, sent_at=now
        )

    async def mark_retry(self, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        """A transient failure: keep the row pending and try again at `next_attempt_at`."""
        o = db.outbox
        await self._update_outbox(
            outbox_id, o.c.status == "pending", attempts=o.c.attempts + 1, last_error=error[:_MAX_ERROR],
            next_attempt_at=next_attempt_at,
        )

    async def mark_failed(self, outbox_id: int, error: str, now: datetime) -> None:
        """A permanent failure: the row is kept (status failed) with its error, never retried."""
        o = db.outbox
        await self._update_outbox(
            outbox_id, o.c.status == "pending", status="failed", attempts=o.c.attempts + 1,
            last_error=error[:_MAX_ERROR], next_attempt_at=now,
        )

    async def pending_count(self, chat_id: int | None = None) -> int:
        """Pending alerts, overall or for one chat."""
        o = db.outbox
        query = select(func.count()).select_from(o).where(o.c.status == "pending")
        if chat_id is not None:
            query = query.where(o.c.chat_id == chat_id)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    # -- translations ------------------------------------------------------------------------------

    async def get_translation(self, text: str, source: str, target: str) -> str | None:
        """A cached translation of `text` from `source` to `target`, if any."""
        t = db.translations
        query = select(t.c.text, t.c.translated).where(
            t.c.text_hash == _text_hash(text), t.c.source == source, t.c.target == target
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return row.translated if row is not None and row.text == text else None

    async def put_translation(
        self, text: str, source: str, target: str, translated: str, provider: str, now: datetime
    ) -> None:
        """Cache a translation (replacing an older one); concurrent writers do not conflict."""
        t = db.translations
        stmt = self._insert(t).values(
            text_hash=_text_hash(text), source=source, target=target, text=text, translated=translated,
            provider=provider, created_at=now,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["text_hash", "source", "target"],
            set_={"text": text, "translated": translated, "provider": provider, "created_at": now},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)
