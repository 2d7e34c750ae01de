"""Storage tests for the outbox and chat moves, on SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from storage_helpers import IDLIB, LEASE, M4, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery


async def outbox(storage: Storage) -> dict[str, dict[str, object]]:
    async with storage.engine.connect() as conn:
        return {r["text"]: dict(r) for r in (await conn.execute(select(db.outbox))).mappings()}


async def queue(storage: Storage, now: datetime, chat_ids: list[int], keys: str = "abc") -> None:
    feed_id = await make_feed(storage, now, url=f"https://f/{keys}")
    await store(storage, feed_id, now, [entry(k) for k in keys],
                {k: [Delivery(c, f"{k}{c}", "idlib") for c in chat_ids] for k in keys})


async def test_claim_lease_and_settle_several_rows_at_once(storage: Storage, now: datetime) -> None:
    await queue(storage, now, [1])
    assert await storage.claim_outbox(now - timedelta(seconds=1), LEASE, 10) == []
    first = await storage.claim_outbox(now, LEASE, 2)
    assert [m.text for m in first] == ["a1", "b1"] and first[0].attempts == 0
    assert await storage.claim_outbox(now, LEASE, 10) == []  # chat 1 is leased: c1 waits (one sender per chat)
    assert await storage.claim_outbox(now + LEASE - timedelta(seconds=1), LEASE, 10) == []

    await storage.mark_sent([m.id for m in first], 555, now)
    rows = await outbox(storage)
    assert [rows[t]["telegram_message_id"] for t in ("a1", "b1")] == [555, 555]
    assert rows["a1"]["status"] == "sent" and rows["a1"]["sent_at"] == now
    await storage.mark_sent([m.id for m in first], 777, now)  # settled rows stay settled
    assert (await outbox(storage))["a1"]["telegram_message_id"] == 555


async def test_retry_postpone_and_fail(storage: Storage, now: datetime) -> None:
    await queue(storage, now, [1])
    a, b, c = await storage.claim_outbox(now, LEASE, 10)
    await storage.mark_retry([a.id], "timed out", now + timedelta(seconds=3))
    await storage.postpone([b.id, c.id], "flood control", now + timedelta(seconds=3))
    retried = await storage.claim_outbox(now + timedelta(seconds=3), LEASE, 10)
    assert [(m.id, m.attempts) for m in retried] == [(a.id, 1), (b.id, 0), (c.id, 0)]  # postponing is no attempt
    await storage.mark_failed([a.id, c.id], "400 bad request", now)

    rows = await outbox(storage)
    assert (rows["a1"]["status"], rows["a1"]["attempts"], rows["a1"]["last_error"]) == ("failed", 2, "400 bad request")
    assert rows["c1"]["status"] == "failed"
    stats = await storage.stats()
    assert (stats["pending_outbox"], stats["failed_outbox"]) == (1, 2)


async def test_rows_of_chats_that_left_are_cancelled(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await queue(storage, now, [1, 2])  # chat 2 never subscribed; chat 1 leaves below

    await storage.unsubscribe(1, now)
    prefs = await storage.delivery_preferences([1, 2], now)
    assert set(prefs) == {1} and not prefs[1].active  # what the sender checks before sending
    await storage.cancel([m.id for m in await storage.claim_outbox(now, LEASE, 10)], "subscriber no longer active")
    rows = await outbox(storage)
    assert {t: r["status"] for t, r in rows.items()} == {f"{k}{c}": "cancelled" for k in "abc" for c in (1, 2)}
    assert all(r["last_error"] for r in rows.values())
    assert await storage.claim_outbox(now, LEASE, 10) == []


async def test_coming_back_cancels_the_backlog(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.deactivate(1, "blocked", now)
    await queue(storage, now, [1])  # a scan that routed before the chat left

    assert await storage.subscribe(1, "en", [IDLIB], now + timedelta(hours=1))
    assert await storage.pending_count(1) == 0
    await queue(storage, now, [1], keys="d")
    assert [m.text for m in await storage.claim_outbox(now, LEASE, 10)] == ["d1"]


async def test_migrate_chat_moves_subscription_keywords_and_pending_rows(storage: Storage, now: datetime) -> None:
    await storage.subscribe(-5, "tr", [IDLIB, M4], now)
    await queue(storage, now, [-5])
    [sent] = await storage.claim_outbox(now, LEASE, 1)
    await storage.mark_sent([sent.id], 1, now)

    assert await storage.migrate_chat(-5, -1005, now)

    assert await storage.get_subscriber(-5) is None
    moved = await storage.get_subscriber(-1005)
    assert moved is not None and (moved.language, moved.active) == ("tr", True)
    assert sorted(c.key for c in await storage.keywords(-1005)) == ["idlib", "m4"]
    rows = await outbox(storage)
    assert (rows["a-5"]["chat_id"], rows["a-5"]["status"]) == (-5, "sent")  # history stays where it happened
    assert {rows[t]["chat_id"] for t in ("b-5", "c-5")} == {-1005}
    assert await storage.migrate_chat(-5, -1005, now) is False


async def test_migrate_into_an_existing_chat_merges_without_duplicates(storage: Storage, now: datetime) -> None:
    await storage.subscribe(-5, "en", [IDLIB, M4], now)
    await storage.subscribe(-6, "en", [IDLIB], now)
    await queue(storage, now, [-5, -6])

    assert await storage.migrate_chat(-5, -6, now)

    assert sorted(c.key for c in await storage.keywords(-6)) == ["idlib", "m4"]
    rows = await outbox(storage)
    assert sum(r["status"] == "pending" and r["chat_id"] == -6 for r in rows.values()) == 3
    assert all(r["status"] == "cancelled" for t, r in rows.items() if t.endswith("-5"))
