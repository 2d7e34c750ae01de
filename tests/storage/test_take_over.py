"""Taking over a dead process (SQLite and PostgreSQL): its pending outbox rows and its feeds are free at
once, not at lease expiry; what others hold, and what was already sent, is untouched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from storage_helpers import LEASE, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage, normalize_database_url
from bot.core.models import Delivery, OutboxMessage

BEAT = timedelta(seconds=10)


@pytest.fixture
async def other(storage: Storage, database_url: str) -> AsyncIterator[Storage]:
    """A second process (its own claimant id) on the same database."""
    second = await Storage.connect(database_url)
    try:
        yield second
    finally:
        await second.close()


async def test_a_dead_processs_rows_and_feeds_are_free_at_once(storage: Storage, other: Storage,
                                                                 now: datetime) -> None:
    feed_id = await make_feed(storage, now, "Wire", "https://wire")
    await store(storage, feed_id, now, [entry("a"), entry("b")],
                {s: [Delivery(c, f"{s}{c}", "idlib") for c in (1, 2)] for s in "ab"})
    due = await make_feed(storage, now, "Due", "https://due")
    await storage.heartbeat("all", now, 3 * BEAT)
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 10)] == [due]
    claimed = await storage.claim_outbox(now, LEASE, 10)
    await storage.mark_sent([claimed[0].id], 77, now)  # accepted before the crash: stays sent
    await other.heartbeat("all", now, 3 * BEAT)
    assert await other.claim_outbox(now, LEASE, 10) == [] and await other.claim_due_feeds(now, LEASE, 10) == []

    assert [w.id for w in await other.running_workers()] == [storage.claimant]
    soon = now + timedelta(seconds=1)
    taken = await other.take_over([storage.claimant], soon)

    assert (taken.outbox_rows, taken.feeds) == (3, 1)
    assert await other.running_workers() == []  # the dead one is recorded as stopped...
    assert await other.heartbeat("all", soon, 3 * BEAT) == 1  # ...and no longer shares the work
    again = await other.claim_outbox(soon, LEASE, 10)
    assert sorted(m.id for m in again) == sorted(m.id for m in claimed[1:])
    assert [f.id for f in await other.claim_due_feeds(soon, LEASE, 10)] == [due]
    o = db.outbox
    async with storage.engine.connect() as conn:
        sent = (await conn.execute(select(o.c.status, o.c.telegram_message_id).where(o.c.id == claimed[0].id))).one()
    assert tuple(sent) == ("sent", 77)


async def test_taking_over_leaves_the_living_alone(storage: Storage, other: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now, "Wire", "https://wire")
    await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(c, f"a{c}", "idlib") for c in (1, 2)]})
    await storage.heartbeat("worker", now, 3 * BEAT)
    await other.heartbeat("worker", now, 3 * BEAT)
    mine = await storage.claim_outbox(now, LEASE, 1)
    theirs = await other.claim_outbox(now, LEASE, 1)
    assert mine and theirs

    taken = await other.take_over(["someone-else-1-ab"], now)

    assert (taken.outbox_rows, taken.feeds) == (0, 0)
    assert await other.claim_outbox(now, LEASE, 10) == []  # chat 1 stays with its live holder
    assert [w.id for w in await other.running_workers()] == [storage.claimant]
    assert (await other.take_over([], now)).outbox_rows == 0


async def test_a_checked_feed_no_longer_names_its_holder(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.claim_due_feeds(now, LEASE, 10)
    f = db.feeds
    async with storage.engine.connect() as conn:
        assert (await conn.execute(select(f.c.leased_by))).scalar_one() == storage.claimant
    await storage.record_fetch_failure(feed_id, "boom", now, now + timedelta(minutes=1))
    async with storage.engine.connect() as conn:
        assert (await conn.execute(select(f.c.leased_by))).scalar_one() is None
    assert (await storage.take_over([storage.claimant], now)).feeds == 0  # nothing held: nothing made due


async def one_claimed_alert(process: Storage, now: datetime) -> OutboxMessage:
    """One alert queued and claimed by `process`, which has beaten once."""
    feed_id = await make_feed(process, now, "Wire", "https://wire")
    await store(process, feed_id, now, [entry("a")], {"a": [Delivery(1, "a1", "idlib")]})
    await process.heartbeat("all", now, 3 * BEAT)
    [claimed] = await process.claim_outbox(now, LEASE, 10)
    return claimed


async def test_a_process_frozen_in_a_transaction_is_taken_over_without_waiting_for_it(
        pg_database_url: str, now: datetime) -> None:
    frozen, survivor = await Storage.connect(pg_database_url), await Storage.connect(pg_database_url)
    try:
        claimed = await one_claimed_alert(frozen, now)
        o = db.outbox
        async with frozen.engine.connect() as stuck:  # stopped mid-transaction: it keeps the row's lock
            await stuck.execute(update(o).where(o.c.id == claimed.id).values(attempts=1))

            taken = await asyncio.wait_for(survivor.take_over([frozen.claimant], now), timeout=20)

            assert taken.outbox_rows == 1  # its session was ended, so the lock went with it
            assert [m.id for m in await survivor.claim_outbox(now, LEASE, 10)] == [claimed.id]
            with pytest.raises(DBAPIError):  # the frozen process finds its session gone when it wakes
                await stuck.execute(select(1))
    finally:
        await frozen.close()
        await survivor.close()


async def test_a_lock_no_one_can_end_leaves_the_take_over_to_the_next_heartbeat(
        pg_database_url: str, now: datetime) -> None:
    dead, survivor = await Storage.connect(pg_database_url), await Storage.connect(pg_database_url)
    holder = create_async_engine(normalize_database_url(pg_database_url))  # not the dead process's session
    try:
        claimed = await one_claimed_alert(dead, now)
        survivor.take_over_lock_wait_ms = 200
        o = db.outbox
        async with holder.connect() as other:
            await other.execute(update(o).where(o.c.id == claimed.id).values(attempts=1))

            taken = await asyncio.wait_for(survivor.take_over([dead.claimant], now), timeout=20)

            assert (taken.outbox_rows, taken.feeds) == (0, 0)
            assert [w.id for w in await survivor.running_workers()] == [dead.claimant]  # still to take over
            await other.rollback()
        taken = await survivor.take_over([dead.claimant], now)
        assert taken.outbox_rows == 1 and await survivor.running_workers() == []
    finally:
        await holder.dispose()
        await dead.close()
        await survivor.close()


async def test_sessions_it_may_not_end_leave_the_take_over_to_the_next_heartbeat(
        pg_database_url: str, now: datetime) -> None:
    admin = create_async_engine(normalize_database_url(pg_database_url))
    async with admin.begin() as conn:  # a role that may not end a superuser's sessions
        await conn.execute(text("DO $$ BEGIN CREATE ROLE bot_limited LOGIN; "
                                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"))
    frozen = await Storage.connect(pg_database_url)  # as the superuser
    async with admin.begin() as conn:
        await conn.execute(text("GRANT ALL ON SCHEMA public TO bot_limited"))
        await conn.execute(text("GRANT ALL ON ALL TABLES IN SCHEMA public TO bot_limited"))
        await conn.execute(text("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO bot_limited"))
    limited_url = normalize_database_url(pg_database_url).set(username="bot_limited")
    survivor = await Storage.connect(limited_url.render_as_string(hide_password=False), migrate=False)
    survivor.take_over_lock_wait_ms = 200
    try:
        claimed = await one_claimed_alert(frozen, now)
        o = db.outbox
        async with frozen.engine.connect() as stuck:
            await stuck.execute(update(o).where(o.c.id == claimed.id).values(attempts=1))

            taken = await asyncio.wait_for(survivor.take_over([frozen.claimant], now), timeout=20)

            assert (taken.outbox_rows, taken.feeds) == (0, 0)  # no error: the next heartbeat tries again
            await stuck.rollback()
        assert (await survivor.take_over([frozen.claimant], now)).outbox_rows == 1
    finally:
        await survivor.close()
        await frozen.close()
        async with admin.begin() as conn:
            await conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bot_limited"))
            await conn.execute(text("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM bot_limited"))
            await conn.execute(text("REVOKE ALL ON SCHEMA public FROM bot_limited"))
        await admin.dispose()
