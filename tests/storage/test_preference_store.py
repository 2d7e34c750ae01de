"""Storage of delivery preferences (time zone, quiet hours, modes, urgent keywords, mutes), on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from storage_helpers import IDLIB, M4, entry, make_feed, store

from bot.adapters.storage.database import Storage
from bot.core.models import Delivery


async def test_preferences_round_trip(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "ar", [IDLIB, M4], now)
    assert await storage.set_preferences(1, now, time_zone="Asia/Damascus", quiet_start=1380, quiet_end=420,
                                         quiet_mode="hold", digest_mode="daily")
    assert await storage.set_urgent(1, "m4", True)
    assert not await storage.set_urgent(1, "nope", True)
    assert not await storage.set_preferences(2, now, digest_mode="daily")

    prefs = (await storage.delivery_preferences([1, 2], now))[1]
    assert (prefs.language, prefs.time_zone, prefs.quiet_start, prefs.quiet_end) == ("ar", "Asia/Damascus", 1380, 420)
    assert (prefs.quiet_mode, prefs.digest_mode, prefs.urgent) == ("hold", "daily", frozenset({"m4"}))
    subscriber = await storage.get_subscriber(1)
    assert subscriber is not None and subscriber.quiet_mode == "hold" and subscriber.time_zone == "Asia/Damascus"
    with pytest.raises(ValueError):
        await storage.set_preferences(1, now, active=False)


async def test_mutes_expire_and_can_be_lifted(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.mute(1, "keyword", "idlib", now + timedelta(hours=1), now)
    await storage.mute(1, "source", "7", now + timedelta(hours=2), now)
    await storage.mute(1, "source", "7", now + timedelta(hours=3), now)  # muting again extends, no duplicate

    prefs = (await storage.delivery_preferences([1], now))[1]
    assert prefs.muted_keywords == {"idlib"} and prefs.muted_sources == {7}
    later = (await storage.delivery_preferences([1], now + timedelta(hours=2, minutes=30)))[1]
    assert later.muted_keywords == frozenset() and later.muted_sources == {7}
    assert await storage.count_mutes(1, now) == 2
    assert await storage.unmute_all(1) == 2


async def test_hold_context_and_alert_details(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    feed_id = await make_feed(storage, now)
    await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(1, "alert a", "idlib")]})
    [row] = await storage.claim_outbox(now, timedelta(minutes=1), 10)

    await storage.hold_for_digest([row.id], now + timedelta(hours=1))
    await store(storage, feed_id, now, [entry("b")], {"b": [Delivery(1, "urgent b", "idlib")]})
    [urgent] = await storage.claim_outbox(now, timedelta(minutes=1), 10)  # holding released the chat
    assert urgent.text == "urgent b"
    await storage.mark_sent([urgent.id], 9, now)
    assert await storage.claim_outbox(now + timedelta(minutes=59), timedelta(minutes=1), 10) == []
    [held] = await storage.claim_outbox(now + timedelta(hours=1), timedelta(minutes=1), 10)
    assert held.digest and held.keyword == "idlib" and held.attempts == 0

    context = (await storage.outbox_context([row.id]))[row.id]
    assert (context.feed_id, context.source, context.title, context.link) == (feed_id, "SANA", "title a", "https://x/a")
    details = await storage.alert_details(row.id)
    assert details is not None and (details.chat_id, details.text, details.summary) == (1, "alert a", "s")
    assert await storage.alert_details(row.id + 100) is None
