"""Untranslated alerts in storage (`pending_translations`): kept with their outbox row in its transaction,
listed only once sent to a chat still subscribed within the window, recorded, forgotten and expired."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from storage_helpers import IDLIB, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery, StoryMessage

CONTENT = '{"title": "عنوان"}'


async def queue(storage: Storage, now: datetime, identity: str, chats: dict[int, str | None]) -> dict[int, int]:
    """One new entry alerted to `chats` ({chat id: untranslated content or None}); {chat id: outbox id}."""
    feed = await make_feed(storage, now, f"feed {identity}", f"https://{identity}.example/rss")
    deliveries = {identity: [Delivery(chat, f"alert {identity}", "idlib", untranslated=content)
                             for chat, content in chats.items()]}
    await store(storage, feed, now, [entry(identity)], deliveries)
    o = db.outbox
    async with storage.engine.connect() as conn:
        rows = await conn.execute(select(o.c.chat_id, o.c.id).where(o.c.text == f"alert {identity}"))
        return {row.chat_id: row.id for row in rows}


async def pending(storage: Storage) -> dict[int, str]:
    p = db.pending_translations
    async with storage.engine.connect() as conn:
        return {row.outbox_id: row.content for row in await conn.execute(select(p.c.outbox_id, p.c.content))}


async def test_content_is_kept_with_its_row_and_only_when_translation_failed(storage: Storage, now: datetime) -> None:
    ids = await queue(storage, now, "a", {1: CONTENT, 2: None})

    assert await pending(storage) == {ids[1]: CONTENT}


async def test_only_sent_alerts_to_subscribed_chats_within_the_window_are_listed(storage: Storage,
                                                                                 now: datetime) -> None:
    for chat in (1, 2, 3):
        await storage.subscribe(chat, "en", [IDLIB], now)
    old = await queue(storage, now - timedelta(hours=40), "old", {1: CONTENT})
    ids = await queue(storage, now, "new", {1: CONTENT, 2: CONTENT, 3: CONTENT})
    await storage.mark_sent([old[1], ids[1], ids[2]], 501, now)
    await storage.unsubscribe(2, now)  # left; 3 was never sent

    since = now - timedelta(hours=36)
    [alert] = await storage.untranslated_alerts(since, 100)
    assert (alert.outbox_id, alert.chat_id, alert.message_id, alert.content) == (ids[1], 1, 501, CONTENT)
    assert alert.created_at == now

    assert await storage.expire_untranslated(since) == 2  # the old one, and the one to the chat that left
    assert set(await pending(storage)) == {ids[1], ids[3]}  # 3 is still pending: it may yet be sent


async def test_failed_and_cancelled_alerts_expire(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.subscribe(2, "en", [IDLIB], now)
    ids = await queue(storage, now, "a", {1: CONTENT, 2: CONTENT})
    await storage.mark_failed([ids[1]], "bad request", now)
    await storage.cancel([ids[2]], "muted")

    assert await storage.expire_untranslated(now - timedelta(hours=36)) == 2
    assert await pending(storage) == {}


async def test_alerts_that_went_into_a_cycles_summary_are_not_listed_and_expire(storage: Storage,
                                                                                now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    ids = await queue(storage, now, "a", {1: CONTENT})
    async with storage.engine.begin() as conn:  # over the cycle's cap: it went out in the summary message
        await conn.execute(update(db.outbox).where(db.outbox.c.id == ids[1]).values(summary=True))
    await storage.mark_sent([ids[1]], 700, now)

    assert await storage.untranslated_alerts(now - timedelta(hours=36), 100) == []
    assert await storage.message_rows(1, 700) == [(ids[1], "alert a", True)]
    assert await storage.expire_untranslated(now - timedelta(hours=36)) == 1
    assert await pending(storage) == {}


async def test_a_recorded_edit_stores_the_new_texts_and_forgets_the_rows(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    a, b = (await queue(storage, now, "a", {1: CONTENT}))[1], (await queue(storage, now, "b", {1: CONTENT}))[1]
    await storage.mark_sent([a, b], 600, now)
    assert await storage.message_rows(1, 600) == [(a, "alert a", False), (b, "alert b", False)]

    assert await storage.record_late_translation({a: "translated a"}, now)
    assert await storage.message_rows(1, 600) == [(a, "translated a", False), (b, "alert b", False)]
    assert set(await pending(storage)) == {b}
    await storage.forget_untranslated([b])
    assert await pending(storage) == {}


async def test_a_story_message_is_only_rewritten_if_nobody_changed_it_meanwhile(storage: Storage,
                                                                                now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    outbox_id = (await queue(storage, now, "a", {1: CONTENT}))[1]
    async with storage.engine.begin() as conn:
        story_id = (await conn.execute(db.stories.insert().values(
            first_published=now, last_published=now, features="{}", sources="[]", languages="[]",
            created_at=now, updated_at=now).returning(db.stories.c.id))).scalar_one()
    message = StoryMessage(1, story_id, 700, outbox_id, "alert a\n\nsources", "alert a", frozenset(), True, now)
    await storage.record_story_alert([outbox_id], message, now)
    grown = StoryMessage(1, story_id, 700, outbox_id, "alert a\n\nsources, more", "alert a", frozenset(), True, now)
    await storage.record_story_alert([], grown, now)  # another process grew it after we read `message`

    assert not await storage.record_late_translation({outbox_id: "translated"}, now, story=(message, "t\n\nsources"))
    assert set(await pending(storage)) == {outbox_id}

    assert await storage.record_late_translation({outbox_id: "translated"}, now, story=(grown, "t\n\nmore"))
    stored = (await storage.story_messages([(1, story_id)]))[(1, story_id)]
    assert (stored.text, stored.base_text) == ("t\n\nmore", "translated")
    assert await pending(storage) == {}


async def test_forgetting_a_subscriber_forgets_their_waiting_alerts(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.subscribe(2, "en", [IDLIB], now)
    ids = await queue(storage, now, "a", {1: CONTENT, 2: CONTENT})

    assert await storage.forget_subscriber(1)

    assert set(await pending(storage)) == {ids[2]}  # the outbox row went, and its content with it (cascade)
