"""The outbox figures behind the metrics endpoint: depth, the oldest due row, publish-to-send latencies."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage_helpers import LEASE, entry, make_feed, store

from bot.adapters.storage.database import Storage
from bot.core.models import Delivery

MINUTE = timedelta(minutes=1)


async def test_figures_count_what_waits_and_time_what_was_sent(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    published = [entry("a", published_at=now - 10 * MINUTE), entry("b", published_at=now - 3 * MINUTE),
                 entry("c")]  # "c" states no publication time
    await store(storage, feed_id, now - 2 * MINUTE, published,
                {e.identity: [Delivery(chat, f"{e.identity}{chat}", "idlib") for chat in (1, 2)] for e in published})

    empty = await storage.outbox_figures(now - 2 * MINUTE, now - 3 * MINUTE)
    assert empty.depth == 6 and empty.latencies == ()

    claimed = await storage.claim_outbox(now, LEASE, 100)
    sent = [m.id for m in claimed if m.text in ("a1", "b1", "c1")]
    await storage.mark_sent(sent, 99, now)

    figures = await storage.outbox_figures(now + MINUTE, now - MINUTE)
    assert figures.depth == 3
    assert figures.oldest_due_at == now - 2 * MINUTE
    assert sorted(figures.latencies) == [180.0, 600.0]  # "c1" has no publication time to measure from
    assert (await storage.outbox_figures(now + 2 * MINUTE, now + MINUTE)).latencies == ()  # already counted
