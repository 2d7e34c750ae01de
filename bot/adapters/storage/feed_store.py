"""Feed-side storage: feeds and their health, fetched entries, and the outbox rows a fetch creates.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Time is always a parameter
(`now`), never read from the clock; datetimes are aware UTC in and out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import MAX_ERROR, identity_key
from bot.adapters.storage.capped_rows import cap_rows
from bot.adapters.storage.late_translation_store import LateTranslationStore
from bot.adapters.storage.story_store import StoryStore
from bot.core.delivery.alert_cap import AlertCap
from bot.core.feeds.check_plan import CheckOutcome, CheckPlan
from bot.core.feeds.novelty import KnownEntry
from bot.core.feeds.schedule import PublishingRate
from bot.core.models import Delivery, Feed, FeedConfig, ParsedEntry
from bot.core.stories.clustering import Report
from bot.core.stories.policy import StoryClustering

_FEED_COLUMNS = [db.feeds.c[name] for name in Feed.__dataclass_fields__]
_CHUNK = 500


def _one_per_chat(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """The first delivery for each chat, in order (one alert per chat and entry)."""
    return list({d.chat_id: d for d in reversed(deliveries)}.values())[::-1]


def _success_values(now: datetime, rate: PublishingRate | None) -> dict[str, Any]:
    """The columns every successful check sets: health reset (a failure run ends) and the publishing rate."""
    values: dict[str, Any] = {"error_count": 0, "last_success_at": now, "failing_since": None,
                              "failure_notified": False}
    if rate is not None:
        values.update(entries_per_day=rate.entries_per_day, observed_seconds=rate.observed_seconds)
    return values


class FeedStore(StoryStore, LateTranslationStore):
    """Feeds and entries (and the outbox rows written with new entries)."""

    # -- feeds -------------------------------------------------------------------------------------

    async def sync_feeds(self, feeds: Sequence[FeedConfig], now: datetime) -> None:
        """Make the file-sourced feeds exactly `feeds` (by url); admin-added feeds are left alone."""
        wanted = {feed.url: feed for feed in feeds}
        t = db.feeds
        async with self._engine.begin() as conn:
            existing = {r.url: r for r in await conn.execute(select(t.c.id, t.c.url, t.c.active))}
            for url, feed in wanted.items():
                await self._upsert_feed(conn, existing.get(url), feed, "file", now)
            stale = t.c.source == "file"
            if wanted:
                stale = stale & t.c.url.not_in(list(wanted))
            await conn.execute(update(t).where(stale, t.c.active == true()).values(active=False))

    @staticmethod
    async def _upsert_feed(conn: AsyncConnection, row: Any, feed: FeedConfig, source: str, now: datetime) -> None:
        """Insert a feed, or update an existing row (`row` has id and active), due at once if reactivated."""
        t = db.feeds
        if row is None:
            await conn.execute(t.insert().values(
                name=feed.name, url=feed.url, lang=feed.lang, source=source, active=True, next_check_at=now,
                error_count=0, checks=0, not_modified=0, created_at=now,
            ))
            return
        values: dict[str, Any] = {"name": feed.name, "lang": feed.lang, "source": source}
        if not row.active:
            values.update(active=True, next_check_at=now)
        await conn.execute(update(t).where(t.c.id == row.id).values(values))

    async def add_feed(self, feed: FeedConfig, now: datetime) -> Feed:
        """Add (or reactivate) an admin feed, due at once if it was not active."""
        t = db.feeds
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(t.c.id, t.c.active).where(t.c.url == feed.url))).first()
            await self._upsert_feed(conn, row, feed, "admin", now)
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
        """Lease up to `limit` due active feeds (oldest due first) to this process; returns them as they were."""
        t = db.feeds
        rows = await self._claim(
            t, t.c.next_check_at, t.c.active == true(), (t.c.next_check_at, t.c.id), now, lease, limit,
            mark={"leased_by": self.claimant},
        )
        return [Feed(**{c.key: row[c.key] for c in _FEED_COLUMNS}) for row in rows]

    async def _update_feed(self, feed_id: int, **values: Any) -> None:
        """Record a check's outcome (which ends the feed's lease). On SQLite, the scan's feed writes queue
        with the claims (`_claiming`): many connections fighting for the database lock spend longer in
        SQLite's sleeping busy handler (and can time out) than waiting their turn. On PostgreSQL this is
        a plain transaction."""
        t = db.feeds
        async with self._claiming() as conn:
            await conn.execute(update(t).where(t.c.id == feed_id).values(checks=t.c.checks + 1, leased_by=None,
                                                                         **values))

    async def record_fetch_failure(
        self, feed_id: int, error: str, now: datetime, next_check_at: datetime, *, notified: bool = False
    ) -> None:
        """Count a failed check and schedule the next one.

        The first failure of a run sets `failing_since`; `notified` records that admins were just told.
        """
        t = db.feeds
        values: dict[str, Any] = {
            "error_count": t.c.error_count + 1, "last_error": error[:MAX_ERROR], "last_error_at": now,
            "next_check_at": next_check_at,
            "failing_since": func.coalesce(t.c.failing_since, literal(now, t.c.failing_since.type)),
        }
        if notified:
            values["failure_notified"] = True
        await self._update_feed(feed_id, **values)

    async def record_not_modified(
        self, feed_id: int, now: datetime, next_check_at: datetime, *, rate: PublishingRate | None = None
    ) -> None:
        """Count a successful check that found nothing new (HTTP 304), with the feed's new publishing rate."""
        await self._update_feed(
            feed_id, not_modified=db.feeds.c.not_modified + 1, next_check_at=next_check_at,
            **_success_values(now, rate),
        )

    async def record_check(self, plan: CheckPlan, clustering: StoryClustering | None = None,
                           cap: AlertCap | None = None) -> int:
        """Record one feed check as planned by bot.core.feeds.check_plan, in one transaction: a failure, a
        304, or the new entries with their outbox rows and the feed's success (with `clustering`, the
        plan's story reports join stories; with `cap`, the rows over each chat's allowance for the scan
        cycle are summarised). Returns how many entries were new."""
        state = plan.state
        if state.outcome is CheckOutcome.FAILED:
            await self.record_fetch_failure(plan.feed_id, state.error or "", state.checked_at, state.next_check_at,
                                            notified=state.failure_notified)
            return 0
        if state.outcome is CheckOutcome.NOT_MODIFIED:
            await self.record_not_modified(plan.feed_id, state.checked_at, state.next_check_at, rate=state.rate)
            return 0
        return await self.store_fetch_result(
            plan.feed_id, entries=plan.entries, deliveries=plan.deliveries, etag=state.etag,
            last_modified=state.last_modified, now=state.checked_at, next_check_at=state.next_check_at,
            url=state.url, rate=state.rate, ttl_seconds=state.ttl_seconds, reports=plan.reports,
            clustering=clustering, cap=cap)

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

    async def known_entries(
        self, feed_id: int, identities: Collection[str], links: Collection[str]
    ) -> list[KnownEntry]:
        """The feed's stored entries whose identity is one of `identities` or whose link is one of `links`
        (identity, link and title: what bot.core.feeds.novelty needs to spot guid reuse and re-publication)."""
        by_key = {identity_key(i): i for i in identities}
        t = db.entries
        found: dict[int, KnownEntry] = {}
        async with self._engine.connect() as conn:
            for column, values in ((t.c.identity, list(by_key)), (t.c.link, list(dict.fromkeys(links)))):
                for start in range(0, len(values), _CHUNK):
                    query = select(t.c.id, t.c.identity, t.c.link, t.c.title).where(
                        t.c.feed_id == feed_id, column.in_(values[start : start + _CHUNK]))
                    for row in await conn.execute(query):
                        found[row.id] = KnownEntry(by_key.get(row.identity, row.identity), row.link, row.title)
        return list(found.values())

    async def store_fetch_result(
        self, feed_id: int, *, entries: Sequence[ParsedEntry], deliveries: Mapping[str, Sequence[Delivery]],
        etag: str | None, last_modified: str | None, now: datetime, next_check_at: datetime,
        url: str | None = None, rate: PublishingRate | None = None, ttl_seconds: float | None = None,
        reports: Mapping[str, Report] | None = None, clustering: StoryClustering | None = None,
        cap: AlertCap | None = None,
    ) -> int:
        """Record new entries, their outbox rows and the feed's success in one transaction.

        Entries already stored are skipped, and so are their deliveries; returns how many were inserted.
        `rate` is the feed's new publishing rate and `ttl_seconds` the RSS <ttl> it now declares. With
        `reports` (by entry identity) and `clustering`, the new entries among them join stories and their
        outbox rows carry the story (bot/adapters/storage/story_store.py). With `cap`, the rows over each
        chat's allowance for the scan cycle become summary rows (bot/adapters/storage/capped_rows.py). On
        SQLite the write queues with the claims (see `_update_feed`).
        """
        async with self._claiming() as conn:
            feed_lang = (await conn.execute(select(db.feeds.c.lang).where(db.feeds.c.id == feed_id))).scalar()
            if feed_lang is None:
                raise LookupError(f"unknown feed id {feed_id}")
            unique: dict[str, ParsedEntry] = {}
            for entry in entries:
                unique.setdefault(identity_key(entry.identity), entry)
            ids = await self._insert_entries(conn, feed_id, feed_lang, unique, now)
            stories: dict[int, int] = {}
            if reports and clustering is not None:
                mine = {ids[key]: reports[entry.identity] for key, entry in unique.items()
                        if key in ids and entry.identity in reports}
                stories = await self.assign_stories(conn, mine, clustering, now)
            queued = [(ids[key], d) for key, entry in unique.items() if key in ids
                      for d in _one_per_chat(deliveries.get(entry.identity, ()))]
            outbox_rows = [
                {"chat_id": d.chat_id, "entry_id": entry_id, "keyword": d.keyword, "text": d.text,
                 "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
                 "story_id": stories.get(entry_id), "summary": False}
                for entry_id, d in queued
            ]
            if cap is not None and outbox_rows:
                published = {ids[key]: entry.published_at for key, entry in unique.items() if key in ids}
                await cap_rows(conn, outbox_rows, cap, published)
            if outbox_rows:
                insert = self._insert(db.outbox).on_conflict_do_nothing(index_elements=["chat_id", "entry_id"])
                await conn.execute(insert, outbox_rows)
                await self.keep_untranslated(conn, {(d.chat_id, entry_id): d.untranslated for entry_id, d in queued
                                                    if d.untranslated is not None}, now)
            values: dict[str, Any] = {
                "etag": etag, "last_modified": last_modified, "checks": db.feeds.c.checks + 1,
                "next_check_at": next_check_at, "ttl_seconds": ttl_seconds, "leased_by": None,
                **_success_values(now, rate),
            }
            if url is not None and len(url) <= db.feeds.c.url.type.length:  # type: ignore[attr-defined]
                taken = select(db.feeds.c.id).where(db.feeds.c.url == url, db.feeds.c.id != feed_id)
                if (await conn.execute(taken)).first() is None:  # a redirect onto another feed keeps its url
                    values["url"] = url
            await conn.execute(update(db.feeds).where(db.feeds.c.id == feed_id).values(values))
        return len(ids)

    async def _insert_entries(self, conn: AsyncConnection, feed_id: int, feed_lang: str,
                              entries: Mapping[str, ParsedEntry], now: datetime) -> dict[str, int]:
        """Insert the entries not stored yet, a few hundred per statement; returns {stored identity: id}
        of those inserted (ids ascend in the given order)."""
        t = db.entries
        ids: dict[str, int] = {}
        keys = list(entries)
        for start in range(0, len(keys), _CHUNK):
            rows = [
                {"feed_id": feed_id, "identity": key, "guid": entry.guid, "link": entry.link, "title": entry.title,
                 "summary": entry.summary, "lang": entry.lang or feed_lang, "published_at": entry.published_at,
                 "created_at": now}
                for key in keys[start : start + _CHUNK] for entry in (entries[key],)
            ]
            stmt = (self._insert(t).values(rows).on_conflict_do_nothing(index_elements=["feed_id", "identity"])
                    .returning(t.c.id, t.c.identity))
            ids.update({row.identity: row.id for row in await conn.execute(stmt)})
        return ids
