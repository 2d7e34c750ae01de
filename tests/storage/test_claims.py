"""Several workers on one database (SQLite and PostgreSQL): chat-exclusive outbox claims, leases that
expire, renew and clear, fair shares of due work, and the workers table's heartbeats."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from storage_helpers import LEASE, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery, OutboxMessage

BEAT = timedelta(seconds=10)


@pytest.fixture
async def other(storage: Storage, database_url: str) -> AsyncIterator[Storage]:
    """A second worker (its own claimant id) on the same database."""
    second = await Storage.connect(database_url)
    try:
        yield second
    finally:
        await second.close()


async def queue(storage: Storage, now: datetime, chats: list[int], stories: str = "ab", url: str = "u") -> None:
    feed_id = await make_feed(storage, now, url=f"https://feed/{url}")
    await store(storage, feed_id, now, [entry(s) for s in stories],
                {s: [Delivery(c, f"{s}{c}", "idlib") for c in chats] for s in stories})


async def leases(storage: Storage) -> dict[str, tuple[datetime | None, str | None]]:
    o = db.outbox
    async with storage.engine.connect() as conn:
        rows = await conn.execute(select(o.c.text, o.c.leased_until, o.c.leased_by))
        return {row.text: (row.leased_until, row.leased_by) for row in rows}


async def test_a_chat_is_claimed_whole_and_skipped_while_leased(storage: Storage, other: Storage,
                                                                 now: datetime) -> None:
    await queue(storage, now, [1, 2], stories="abc")
    mine = await storage.claim_outbox(now, LEASE, 4)
    assert [m.text for m in mine] == ["a1", "b1", "c1"]  # chat 2 (3 more rows) would not fit in 4
    theirs = await other.claim_outbox(now, LEASE, 10)
    assert [m.text for m in theirs] == ["a2", "b2", "c2"]

    await queue(storage, now, [1, 2], stories="d", url="later")  # new alerts while both chats are leased
    assert await other.claim_outbox(now, LEASE, 10) == []
    await storage.mark_sent([mine[0].id, mine[1].id], 10, now)
    assert await other.claim_outbox(now, LEASE, 10) == []  # c1 is still leased: chat 1 stays with me
    await storage.mark_retry([mine[2].id], "timeout", now)
    assert [m.text for m in await other.claim_outbox(now, LEASE, 10)] == ["c1", "d1"]


async def test_settling_clears_the_lease_and_a_long_backlog_is_claimed_in_order(storage: Storage,
                                                                                now: datetime) -> None:
    await queue(storage, now, [7], stories="abcde")
    first = await storage.claim_outbox(now, LEASE, 2)
    assert [m.text for m in first] == ["a7", "b7"]
    held = await leases(storage)
    assert held["a7"] == (now + LEASE, storage.claimant) and held["c7"] == (None, None)
    await storage.mark_sent([first[0].id], 1, now)
    await storage.postpone([first[1].id], "flood", now)
    assert (await leases(storage))["a7"] == (None, None) and (await leases(storage))["b7"] == (None, None)
    assert [m.text for m in await storage.claim_outbox(now, LEASE, 2)] == ["b7", "c7"]


async def test_a_dead_workers_rows_and_feeds_are_claimed_after_the_lease(storage: Storage, other: Storage,
                                                                         now: datetime) -> None:
    await queue(storage, now, [1, 2])  # its feed is checked again in five minutes; this one is due now
    feed_id = await make_feed(storage, now, "Due", "https://due")
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 10)] == [feed_id]
    claimed = await storage.claim_outbox(now, LEASE, 10)
    assert len(claimed) == 4  # ...and then the worker holding them is killed

    almost = now + LEASE - timedelta(seconds=1)
    assert await other.claim_outbox(almost, LEASE, 10) == [] and await other.claim_due_feeds(almost, LEASE, 10) == []
    later = now + LEASE
    assert sorted(m.id for m in await other.claim_outbox(later, LEASE, 10)) == sorted(m.id for m in claimed)
    assert feed_id in {f.id for f in await other.claim_due_feeds(later, LEASE, 10)}
    assert {by for _, by in (await leases(storage)).values()} == {other.claimant}


async def test_renewal_keeps_only_the_renewers_leases(storage: Storage, other: Storage, now: datetime) -> None:
    await queue(storage, now, [1, 2])
    mine = await storage.claim_outbox(now, LEASE, 2)
    theirs = await other.claim_outbox(now, LEASE, 2)
    assert {m.chat_id for m in mine} == {1} and {m.chat_id for m in theirs} == {2}

    assert await storage.renew_outbox_leases(now + LEASE / 2, LEASE) == 2
    expired = now + LEASE
    reclaimed = await other.claim_outbox(expired, LEASE, 10)
    assert {m.chat_id for m in reclaimed} == {2}  # its own expired chat, never mine
    await storage.mark_sent([m.id for m in mine], 5, expired)
    assert await storage.renew_outbox_leases(expired, LEASE) == 0


async def test_concurrent_claims_never_lease_one_chat_twice(storage: Storage, database_url: str,
                                                            now: datetime) -> None:
    chats = list(range(1, 41))
    await queue(storage, now, chats, stories="abc")
    workers = [storage, *[await Storage.connect(database_url) for _ in range(3)]]
    claims: list[tuple[int, OutboxMessage]] = []
    try:
        for _ in range(40):  # rounds of four simultaneous claims, until everything is leased
            batch = await asyncio.gather(*(w.claim_outbox(now, LEASE, 9) for w in workers))
            claims += [(i, m) for i, claimed in enumerate(batch) for m in claimed]
            if not any(batch):
                break
    finally:
        for worker in workers[1:]:
            await worker.close()
    assert Counter(m.id for _, m in claims).most_common(1)[0][1] == 1
    assert len(claims) == 3 * len(chats)
    assert len({(m.chat_id, i) for i, m in claims}) == len(chats)  # each chat went to one worker, whole


async def test_heartbeats_count_live_senders_and_claims_take_a_fair_share(storage: Storage, other: Storage,
                                                                          now: datetime) -> None:
    assert await storage.heartbeat("worker", now, 3 * BEAT) == 1
    assert await other.heartbeat("worker", now, 3 * BEAT, feeds_checked=4, alerts_sent=9, messages_sent=3) == 2
    assert await storage.heartbeat("worker", now, 3 * BEAT) == 2 and storage.sharing_workers == 2
    for i in range(10):
        await make_feed(storage, now, f"F{i}", f"https://f{i}")
    await queue(storage, now, list(range(1, 11)), stories="a", url="fair")
    first = await storage.claim_due_feeds(now, LEASE, 100)
    assert len(first) == 5  # half of the ten due feeds (the eleventh, queue's own, too: ceil(11/2))
    assert len({m.chat_id for m in await storage.claim_outbox(now, LEASE, 100)}) == 5

    w = db.workers
    async with storage.engine.connect() as conn:
        row = (await conn.execute(select(w).where(w.c.id == other.claimant))).mappings().one()
    assert (row["role"], row["feeds_checked"], row["alerts_sent"], row["messages_sent"]) == ("worker", 4, 9, 3)

    await other.retire(now + BEAT, feeds_checked=5)
    assert await storage.heartbeat("worker", now + BEAT, 3 * BEAT) == 1  # a stopped worker no longer counts
    assert await other.heartbeat("updates", now + BEAT, 3 * BEAT) == 1  # nor does one receiving updates
    assert await storage.heartbeat("all", now + 5 * BEAT, 3 * BEAT) == 1  # ...nor one silent for too long
