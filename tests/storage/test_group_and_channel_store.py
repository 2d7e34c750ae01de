"""Storage tests for groups and channels (migration 0006) on SQLite and PostgreSQL: chat type, owner, title,
forum topic, and what survives a reconnect or a migration to a supergroup (see conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage_helpers import IDLIB, M4

from bot.adapters.storage.database import Storage

CHANNEL, OTHER_CHANNEL, GROUP, OWNER = -1002000, -1002001, -500, 31


async def test_channel_owner_title_and_listing(storage: Storage, now: datetime) -> None:
    assert await storage.subscribe(CHANNEL, "ar", [IDLIB], now, chat_type="channel", owner_id=OWNER,
                                   title="Idlib Watch " * 40)
    assert await storage.subscribe(OTHER_CHANNEL, "en", [M4], now + timedelta(seconds=1), chat_type="channel",
                                   owner_id=OWNER, title="Second")
    assert await storage.subscribe(GROUP, "en", [IDLIB], now, chat_type="group", title="Newsroom")
    await storage.subscribe(OWNER, "en", [IDLIB], now)  # the owner's own private chat is not a channel

    channels = await storage.owned_channels(OWNER)
    assert [(c.chat_id, c.chat_type, c.owner_id) for c in channels] == [
        (CHANNEL, "channel", OWNER), (OTHER_CHANNEL, "channel", OWNER)]
    assert len(channels[0].title or "") == 255  # a long title is cut, not refused
    assert await storage.owned_channels(GROUP) == [] and await storage.owned_channels(99) == []

    await storage.unsubscribe(OTHER_CHANNEL, now)
    assert [c.chat_id for c in await storage.owned_channels(OWNER)] == [CHANNEL]
    assert await storage.subscribe(OTHER_CHANNEL, "en", [M4], now, chat_type="channel", owner_id=77, title="Again")
    assert [c.chat_id for c in await storage.owned_channels(77)] == [OTHER_CHANNEL]  # reconnected by someone else


async def test_group_topic_round_trip_and_migration(storage: Storage, now: datetime) -> None:
    assert await storage.set_topic(GROUP, 5, now) is False  # never subscribed
    await storage.subscribe(GROUP, "tr", [IDLIB], now, chat_type="group", title="Team")
    assert await storage.set_topic(GROUP, 2**40, now) is True  # thread ids are 64-bit
    assert (await storage.delivery_preferences([GROUP], now))[GROUP].thread_id == 2**40

    assert await storage.migrate_chat(GROUP, -100500, now)

    moved = await storage.get_subscriber(-100500)
    assert moved is not None and (moved.chat_type, moved.thread_id, moved.title) == ("supergroup", 2**40, "Team")
    prefs = (await storage.delivery_preferences([-100500], now))[-100500]
    assert (prefs.chat_type, prefs.language) == ("supergroup", "tr")


async def test_private_chats_keep_their_defaults(storage: Storage, now: datetime) -> None:
    await storage.subscribe(7, "en", [IDLIB], now)
    subscriber = await storage.get_subscriber(7)
    assert subscriber is not None and (subscriber.chat_type, subscriber.thread_id, subscriber.owner_id) == (
        "private", None, None)
