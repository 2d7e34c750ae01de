"""Storage records a whole plan in one call: a feed check (`record_check`) and a message's settlement
(`settle`), on SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from storage_helpers import IDLIB, LEASE, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.delivery.settlement import Outcome, Settlement
from bot.core.feeds.check_plan import CheckOutcome, CheckPlan, FeedState
from bot.core.feeds.schedule import PublishingRate
from bot.core.models import Delivery


async def feed_row(storage: Storage, feed_id: int) -> dict[str, object]:
    async with storage.engine.connect() as conn:
        return dict((await conn.execute(select(db.feeds).where(db.feeds.c.id == feed_id))).mappings().one())


async def outbox_rows(storage: Storage) -> dict[str, dict[str, object]]:
    async with storage.engine.connect() as conn:
        return {r["text"]: dict(r) for r in (await conn.execute(select(db.outbox))).mappings()}


async def test_a_fetched_check_writes_entries_alerts_and_the_feed_state(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.subscribe(5, "en", [IDLIB], now)
    state = FeedState(CheckOutcome.FETCHED, now, now + timedelta(minutes=7), rate=PublishingRate(12.0, 3600.0),
                      etag='"v2"', last_modified="yesterday", url="https://sana/moved", ttl_seconds=900.0)
    plan = CheckPlan(feed_id, state, (entry("a"), entry("b")), {"a": [Delivery(5, "alert a", "idlib")]})
    assert await storage.record_check(plan) == 2
    assert await storage.record_check(plan) == 0, "a replayed plan inserts nothing twice"
    row = await feed_row(storage, feed_id)
    assert (row["etag"], row["last_modified"], row["url"], row["ttl_seconds"]) == (
        '"v2"', "yesterday", "https://sana/moved", 900.0)
    assert row["next_check_at"] == now + timedelta(minutes=7) and row["entries_per_day"] == 12.0
    assert list(await outbox_rows(storage)) == ["alert a"]


async def test_a_failed_then_not_modified_check(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    failed = FeedState(CheckOutcome.FAILED, now, now + timedelta(minutes=2), error="HTTP 503", failure_notified=True)
    assert await storage.record_check(CheckPlan(feed_id, failed)) == 0
    row = await feed_row(storage, feed_id)
    assert (row["error_count"], row["last_error"], row["failure_notified"]) == (1, "HTTP 503", True)
    assert row["failing_since"] == now

    later = now + LEASE
    back = FeedState(CheckOutcome.NOT_MODIFIED, later, later + timedelta(minutes=9), rate=PublishingRate(1.0, 60.0))
    await storage.record_check(CheckPlan(feed_id, back))
    row = await feed_row(storage, feed_id)
    assert (row["error_count"], row["failing_since"], row["failure_notified"]) == (0, None, False)
    assert row["not_modified"] == 1 and row["next_check_at"] == later + timedelta(minutes=9)


async def test_settlements_record_each_outcome(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    for chat in (1, 2, 3):
        await storage.subscribe(chat, "en", [IDLIB], now)
    await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(c, f"to {c}", "idlib") for c in (1, 2, 3)]})
    ids = {m.chat_id: m.id for m in await storage.claim_outbox(now, LEASE, 10)}

    await storage.settle(Settlement(Outcome.SENT, 1, (ids[1],), now, message_id=42))
    retry_at = now + timedelta(minutes=1)
    await storage.settle(Settlement(Outcome.RETRY_LATER, 2, (ids[2],), now, error="timed out", retry_at=retry_at))
    await storage.settle(Settlement(Outcome.CHAT_GONE, 3, (ids[3],), now, error="chat unavailable: blocked",
                                    deactivate=True))
    rows = await outbox_rows(storage)
    assert (rows["to 1"]["status"], rows["to 1"]["telegram_message_id"]) == ("sent", 42)
    assert (rows["to 2"]["status"], rows["to 2"]["attempts"], rows["to 2"]["next_attempt_at"]) == (
        "pending", 1, retry_at)
    assert (rows["to 3"]["status"], rows["to 3"]["last_error"]) == ("failed", "chat unavailable: blocked")
    gone = await storage.get_subscriber(3)
    assert gone is not None and not gone.active

    await storage.settle(Settlement(Outcome.FLOOD, 2, (ids[2],), now, flood_wait=5.0))
    assert (await outbox_rows(storage))["to 2"] == rows["to 2"], "a flood wait writes nothing"
