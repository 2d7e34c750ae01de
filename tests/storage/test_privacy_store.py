"""One chat's data read whole (/export) and deleted whole (/forget), leaving every other chat untouched."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert
from storage_helpers import ALEPPO, IDLIB, LEASE, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery

ME, OTHER = 11, 22


async def fill(storage: Storage, now: datetime) -> None:
    for chat in (ME, OTHER):
        await storage.subscribe(chat, "ar", [IDLIB], now)
    await storage.add_keyword(ME, ALEPPO, now)
    await storage.set_urgent(ME, ALEPPO.key, True)
    await storage.mute(ME, "source", "SANA", now + timedelta(hours=24), now)
    feed_id = await make_feed(storage, now)
    await store(storage, feed_id, now, [entry("a"), entry("b")],
                {"a": [Delivery(ME, "a-me", "idlib"), Delivery(OTHER, "a-other", "idlib")],
                 "b": [Delivery(ME, "b-me", "aleppo")]})


async def test_the_export_holds_settings_keywords_mutes_and_alerts(storage: Storage, now: datetime) -> None:
    await fill(storage, now)
    sent = [m.id for m in await storage.claim_outbox(now, LEASE, 10) if m.text == "a-me"]
    await storage.mark_sent(sent, 5, now)

    data = await storage.subscriber_data(ME)
    assert data is not None
    assert (data.subscriber.chat_id, data.subscriber.language, data.subscriber.active) == (ME, "ar", True)
    assert [(k.concept.key, k.urgent) for k in data.keywords] == [("idlib", False), ("aleppo", True)]
    assert [(m.kind, m.value) for m in data.mutes] == [("source", "SANA")]
    assert data.alerts_total == 2
    assert [(a.keyword, a.status, a.link) for a in data.alerts] == [
        ("aleppo", "pending", "https://x/b"), ("idlib", "sent", "https://x/a")]
    assert await storage.subscriber_data(999) is None


async def test_forgetting_deletes_everything_of_the_chat_and_nothing_else(storage: Storage, now: datetime) -> None:
    await fill(storage, now)
    assert await storage.forget_subscriber(ME) is True
    assert await storage.subscriber_data(ME) is None
    assert await storage.keywords(ME) == [] and await storage.count_mutes(ME, now) == 0
    assert await storage.pending_count(ME) == 0
    other = await storage.subscriber_data(OTHER)
    assert other is not None and other.alerts_total == 1 and len(other.keywords) == 1
    assert await storage.forget_subscriber(ME) is False
    assert await storage.subscribe(ME, "en", [IDLIB], now)  # a fresh start afterwards


async def test_forgetting_deletes_the_chats_story_alert_texts(storage: Storage, now: datetime) -> None:
    await fill(storage, now)
    async with storage.engine.begin() as conn:
        story_id = (await conn.execute(insert(db.stories).values(
            first_published=now, last_published=now, features="{}", sources="[]", languages="[]",
            created_at=now, updated_at=now).returning(db.stories.c.id))).scalar_one()
        await conn.execute(insert(db.story_messages), [
            {"chat_id": chat, "story_id": story_id, "message_id": 1, "outbox_id": None, "text": f"alert {chat}",
             "base_text": f"alert {chat}", "entry_ids": "[]", "sent_at": now, "updated_at": now}
            for chat in (ME, OTHER)])

    assert await storage.forget_subscriber(ME)
    left = await storage.story_messages([(ME, story_id), (OTHER, story_id)])
    assert set(left) == {(OTHER, story_id)}
