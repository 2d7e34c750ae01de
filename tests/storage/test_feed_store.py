"""Storage tests for the feed side: feeds and entries, on SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import inspect, select
from storage_helpers import LEASE, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.adapters.storage.migrations import alembic_config, upgrade_to_head
from bot.core.feeds.schedule import PublishingRate
from bot.core.models import Delivery, FeedConfig, ParsedEntry

# -- feeds -----------------------------------------------------------------------------------------


async def test_sync_feeds(storage: Storage, now: datetime) -> None:
    admin = await storage.add_feed(FeedConfig("Admin", "https://admin/rss", "en"), now)
    file_feeds = [FeedConfig("B", "https://b/rss", "tr"), FeedConfig("A", "https://a/rss", "ar")]
    await storage.sync_feeds(file_feeds, now)
    feeds = await storage.list_feeds()
    assert [f.name for f in feeds] == ["A", "Admin", "B"]
    assert all(f.next_check_at == now and f.active and f.error_count == 0 for f in feeds)

    later = now + timedelta(hours=1)
    await storage.sync_feeds([FeedConfig("A renamed", "https://a/rss", "en")], later)
    feeds = await storage.list_feeds()
    assert [(f.name, f.lang) for f in feeds] == [("A renamed", "en"), ("Admin", "en")]
    assert feeds[0].next_check_at == now  # an existing active feed keeps its schedule
    assert feeds[1].id == admin.id

    await storage.sync_feeds([FeedConfig("B", "https://b/rss", "tr")], later)
    b = [f for f in await storage.list_feeds() if f.name == "B"]
    assert len(b) == 1 and b[0].next_check_at == later  # reactivated and due at once
    await storage.sync_feeds([], later)
    assert [f.name for f in await storage.list_feeds()] == ["Admin"]


async def test_add_and_remove_feed(storage: Storage, now: datetime) -> None:
    feed = await storage.add_feed(FeedConfig("SANA", "https://sana/rss", "ar"), now)
    assert (feed.name, feed.url, feed.lang, feed.active) == ("SANA", "https://sana/rss", "ar", True)
    assert feed.next_check_at == now
    assert feed.next_check_at.tzinfo is not None and feed.checks == 0
    assert await storage.remove_feed("sana") is True
    assert await storage.remove_feed("SANA") is False
    assert await storage.list_feeds() == []
    again = await storage.add_feed(FeedConfig("SANA 2", "https://sana/rss", "ar"), now + LEASE)
    assert again.id == feed.id and again.active and again.name == "SANA 2"
    await storage.sync_feeds([], now)  # admin feeds survive a sync
    assert [f.id for f in await storage.list_feeds()] == [feed.id]
    assert await storage.remove_feed("https://sana/rss") is True
    assert await storage.remove_feed("nothing") is False


async def test_claim_due_feeds_leases(storage: Storage, now: datetime) -> None:
    a = await make_feed(storage, now - timedelta(minutes=2), "A", "https://a")
    b = await make_feed(storage, now - timedelta(minutes=1), "B", "https://b")
    await make_feed(storage, now + timedelta(minutes=1), "future", "https://c")
    await storage.add_feed(FeedConfig("off", "https://off", "en"), now - timedelta(hours=1))
    await storage.remove_feed("off")

    claimed = await storage.claim_due_feeds(now, LEASE, limit=1)
    assert [f.id for f in claimed] == [a]
    assert claimed[0].next_check_at == now - timedelta(minutes=2)  # as it was before the lease
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 10)] == [b]
    assert await storage.claim_due_feeds(now + LEASE - timedelta(seconds=1), LEASE, 10) != []  # "future"
    assert await storage.claim_due_feeds(now + LEASE - timedelta(seconds=1), LEASE, 10) == []
    assert {f.id for f in await storage.claim_due_feeds(now + LEASE, LEASE, 10)} == {a, b}


async def test_concurrent_claims_do_not_overlap(storage: Storage, now: datetime) -> None:
    ids = {await make_feed(storage, now, f"F{i}", f"https://f{i}") for i in range(6)}
    results = await asyncio.gather(*(storage.claim_due_feeds(now, LEASE, 4) for _ in range(3)))
    claimed = [f.id for result in results for f in result]
    assert len(claimed) == len(set(claimed)) and set(claimed) == ids


async def test_fetch_failure_and_not_modified(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.record_fetch_failure(feed_id, "HTTP 500 " + "x" * 5000, now, now + timedelta(minutes=10))
    await storage.record_fetch_failure(feed_id, "timeout", now + LEASE, now + timedelta(minutes=20))
    [feed] = await storage.list_feeds()
    assert (feed.error_count, feed.last_error, feed.checks) == (2, "timeout", 2)
    assert feed.last_error_at == now + LEASE and feed.next_check_at == now + timedelta(minutes=20)
    await storage.record_not_modified(feed_id, now + 2 * LEASE, now + timedelta(hours=1))
    [feed] = await storage.list_feeds()
    assert (feed.error_count, feed.checks, feed.not_modified) == (0, 3, 1)
    assert feed.last_success_at == now + 2 * LEASE and feed.next_check_at == now + timedelta(hours=1)


async def test_failure_run_notice_state_and_recovery(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.record_fetch_failure(feed_id, "HTTP 503", now, now + timedelta(minutes=5))
    await storage.record_fetch_failure(feed_id, "HTTP 503", now + LEASE, now + timedelta(minutes=15), notified=True)
    await storage.record_fetch_failure(feed_id, "HTTP 503", now + 2 * LEASE, now + timedelta(minutes=35))
    [feed] = await storage.list_feeds()
    assert feed.failing_since == now  # the run began with the first failure
    assert feed.failure_notified is True and feed.error_count == 3  # and stays told until it recovers

    rate = PublishingRate(entries_per_day=7.5, observed_seconds=86400.0)
    await storage.record_not_modified(feed_id, now + 3 * LEASE, now + timedelta(hours=1), rate=rate)
    [feed] = await storage.list_feeds()
    assert (feed.failing_since, feed.failure_notified, feed.error_count) == (None, False, 0)
    assert (feed.entries_per_day, feed.observed_seconds) == (7.5, 86400.0)

    await storage.record_fetch_failure(feed_id, "timeout", now + 4 * LEASE, now + timedelta(hours=2))
    [feed] = await storage.list_feeds()
    assert feed.failing_since == now + 4 * LEASE and not feed.failure_notified  # a new run


async def test_successful_fetch_stores_rate_and_ttl_and_ends_a_failure_run(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.record_fetch_failure(feed_id, "HTTP 500", now, now + timedelta(minutes=5), notified=True)
    rate = PublishingRate(entries_per_day=48.0, observed_seconds=3600.0)
    await storage.store_fetch_result(feed_id, entries=[entry("a")], deliveries={}, etag=None, last_modified=None,
                                     now=now + LEASE, next_check_at=now + 2 * LEASE, rate=rate, ttl_seconds=3600.0)
    [feed] = await storage.list_feeds()
    assert (feed.entries_per_day, feed.observed_seconds, feed.ttl_seconds) == (48.0, 3600.0, 3600.0)
    assert (feed.failing_since, feed.failure_notified, feed.error_count) == (None, False, 0)
    assert feed.last_success_at == now + LEASE
    claimed = await storage.claim_due_feeds(now + 2 * LEASE, LEASE, 5)
    assert [(f.ttl_seconds, f.entries_per_day) for f in claimed] == [(3600.0, 48.0)]


async def test_many_entries_are_stored_in_order_with_their_alerts(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    batch = [entry(f"e{n:04d}") for n in range(1200)]  # more than one statement's worth
    deliveries = {f"e{n:04d}": [Delivery(7, f"alert {n}", "idlib")] for n in range(0, 1200, 100)}
    assert await store(storage, feed_id, now, batch[:10], {}) == 10
    assert await store(storage, feed_id, now, batch, deliveries) == 1190
    async with storage.engine.connect() as conn:
        ids = (await conn.execute(select(db.entries.c.identity).order_by(db.entries.c.id))).scalars().all()
        texts = (await conn.execute(select(db.outbox.c.text).order_by(db.outbox.c.id))).scalars().all()
    assert list(ids) == [e.identity for e in batch]
    assert list(texts) == [f"alert {n}" for n in range(100, 1200, 100)]  # e0000 was stored before, no alert


async def test_concurrent_feed_writes_all_succeed(storage: Storage, now: datetime) -> None:
    ids = [await make_feed(storage, now, f"F{n}", f"https://f{n}") for n in range(40)]
    await asyncio.gather(
        *(store(storage, feed_id, now, [entry(f"x{feed_id}-{k}") for k in range(20)]) for feed_id in ids),
        *(storage.record_not_modified(feed_id, now, now + LEASE) for feed_id in ids),
        *(storage.record_fetch_failure(feed_id, "boom", now, now + LEASE) for feed_id in ids),
    )
    feeds = await storage.list_feeds()
    assert all(f.checks == 3 for f in feeds) and (await storage.stats())["entries"] == 800


async def test_feed_health_migration_downgrades_and_upgrades_keeping_data(database_url: str, now: datetime) -> None:
    storage = await Storage.connect(database_url)
    try:
        feed_id = await make_feed(storage, now)
        assert await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(1, "alert", "idlib")]}) == 1
        async with storage.engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0001"))
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("feeds")})
            assert "failing_since" not in columns and "entries_per_day" not in columns
            await conn.run_sync(upgrade_to_head)
        [feed] = await storage.list_feeds()
        assert (feed.id, feed.entries_per_day, feed.failing_since, feed.failure_notified) == (feed_id, 0.0, None, False)
        assert await storage.known_identities(feed_id, ["a"]) == {"a"}  # no cascade deleted the entries
        assert await storage.pending_count() == 1
    finally:
        await storage.close()


async def test_store_fetch_result_is_idempotent(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    long_id = "https://example.org/" + "x" * 600
    batch = [entry("a", lang="en", published_at=now - timedelta(hours=1)), entry("b"), entry(long_id)]
    deliveries = {"a": [Delivery(1, "A1", "idlib"), Delivery(2, "A2", "m4"), Delivery(1, "dup", "m4")],
                  "b": [Delivery(1, "B1", "idlib")]}
    assert await store(storage, feed_id, now, batch, deliveries, etag='"v1"', url="https://sana/new") == 3
    assert await storage.known_identities(feed_id, ["a", "b", long_id, "zzz"]) == {"a", "b", long_id}
    assert await storage.known_identities(feed_id, []) == set()
    assert await storage.pending_count() == 3 and await storage.pending_count(1) == 2
    [feed] = await storage.list_feeds()
    assert (feed.etag, feed.url, feed.checks, feed.last_success_at) == ('"v1"', "https://sana/new", 1, now)

    again = now + LEASE
    more = {**deliveries, "c": [Delivery(3, "C3", "idlib")]}
    assert await store(storage, feed_id, again, [*batch, entry("c")], more) == 1
    assert await storage.pending_count() == 4 and await storage.pending_count(3) == 1
    assert (await storage.stats())["entries"] == 4
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(select(db.entries.c.identity, db.entries.c.lang, db.entries.c.published_at)
                                   .order_by(db.entries.c.id))).all()
    assert [(r.identity, r.lang) for r in rows][:2] == [("a", "en"), ("b", "ar")]  # feed language fallback
    assert rows[0].published_at == now - timedelta(hours=1) and rows[0].published_at.tzinfo is not None


async def test_redirect_onto_another_feeds_url_keeps_the_url(storage: Storage, now: datetime) -> None:
    first = await make_feed(storage, now, "A", "https://a")
    second = await make_feed(storage, now, "B", "https://b")
    assert await store(storage, second, now, [entry("x")], url="https://a") == 1
    assert {f.id: f.url for f in await storage.list_feeds()} == {first: "https://a", second: "https://b"}


async def test_store_fetch_result_is_one_transaction(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    bad = ParsedEntry(identity="bad", title=None, summary="s", link=None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        await store(storage, feed_id, now, [entry("ok"), bad], {"ok": [Delivery(1, "t", "k")]})
    assert await storage.known_identities(feed_id, ["ok"]) == set()
    assert await storage.pending_count() == 0


async def test_datetimes_are_aware_utc(storage: Storage, now: datetime) -> None:
    plus3 = now.astimezone(timezone(timedelta(hours=3)))
    feed = await storage.add_feed(FeedConfig("F", "https://f", "en"), plus3)
    assert feed.next_check_at == now and feed.next_check_at.utcoffset() == timedelta(0)
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 5)] == [feed.id]
    with pytest.raises(Exception, match="naive"):
        await storage.add_feed(FeedConfig("G", "https://g", "en"), datetime(2025, 1, 1))
