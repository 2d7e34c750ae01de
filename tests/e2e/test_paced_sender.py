"""The real sender stack (PTB ExtBot with the app's PacedRateLimiter, TelegramSender, pacer, DeliveryService) against
the fake Bot API enforcing Telegram's limits: everyone gets the alert once, migrated groups follow.

Timing is not asserted here (scripts/bench_fanout.py measures throughput); what must hold whatever the
machine's speed is that nothing is lost or doubled, and a 429, if jitter ever causes one, is survived.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.bot_api import FakeBotApi
from fakes.rate_limits import TelegramLimits
from telegram.ext import ExtBot

from bot.adapters.storage.database import Storage
from bot.adapters.telegram.rate_limiter import PacedRateLimiter
from bot.adapters.telegram.telegram_sender import TelegramSender
from bot.core.delivery.pacing import Pacer
from bot.core.models import Concept, Delivery, FeedConfig, ParsedEntry
from bot.services.delivery import DeliveryService

TOKEN = "123456:PACED-token"
IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib",)}, builtin=True)


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
async def limited_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN, limits=TelegramLimits(), send_delay=0.005) as api:
        yield api


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.connect(f"sqlite:///{tmp_path}/paced.sqlite3")
    yield store
    await store.close()


async def queue(storage: Storage, chats: list[int], story: str) -> None:
    for chat_id in chats:
        await storage.subscribe(chat_id, "en", [IDLIB], now())
    feed = await storage.add_feed(FeedConfig("Wire", f"https://wire.example/{story}", "en"), now())
    entry = ParsedEntry(identity=story, title=f"Idlib {story}", summary="", link=None, lang="en")
    await storage.store_fetch_result(feed.id, entries=[entry], etag=None, last_modified=None, now=now(),
                                     deliveries={story: [Delivery(c, f"<b>Idlib</b> {story}", "idlib") for c in chats]},
                                     next_check_at=now() + timedelta(hours=1))


async def send_everything(api: FakeBotApi, storage: Storage) -> None:
    """Drain the outbox through python-telegram-bot's ExtBot (with the app's rate limiter, sharing the
    sender's pacer) until it is empty."""
    pacer = Pacer()
    bot = ExtBot(TOKEN, base_url=f"{api.url}/bot", rate_limiter=PacedRateLimiter(pacer))
    await bot.initialize()
    delivery = DeliveryService(storage, TelegramSender(bot), now, pacer=pacer)
    try:
        for _ in range(200):
            if not await storage.pending_count():
                return
            await delivery.drain()
        raise AssertionError("the outbox never emptied")
    finally:
        await bot.shutdown()


async def test_fan_out_under_enforced_limits_delivers_each_alert_once(limited_api: FakeBotApi,
                                                                      storage: Storage) -> None:
    chats = [*range(1, 81), -1001, -1002]
    await queue(storage, chats, "story-1")
    await queue(storage, [1, 2, -1001], "story-2")  # a small backlog for some chats
    await send_everything(limited_api, storage)

    per_chat = Counter(int(m["chat_id"]) for m in limited_api.sent)
    assert set(per_chat) == set(chats)
    texts = {int(m["chat_id"]): m["visible_text"] for m in limited_api.sent}
    assert all(per_chat[c] == 1 for c in chats)  # story-2 rode along with story-1 where both were due
    assert "story-1" in texts[1] and "story-2" in texts[1]
    assert "story-2" not in texts[3]


async def test_group_upgraded_to_supergroup_is_followed(limited_api: FakeBotApi, storage: Storage) -> None:
    limited_api.migrate(-42, -100042)
    await queue(storage, [-42], "story-3")
    await send_everything(limited_api, storage)

    assert [int(m["chat_id"]) for m in limited_api.sent] == [-100042]
    assert await storage.get_subscriber(-42) is None
    assert [c.key for c in await storage.keywords(-100042)] == ["idlib"]


def test_fake_limits_refuse_what_telegram_would() -> None:
    limits = TelegramLimits()
    assert all(limits.check_and_count(str(chat), 0.0) is None for chat in range(1, 31))
    assert limits.check_and_count("99", 0.5) == pytest.approx(0.5)  # 31st within the second
    assert limits.check_and_count("99", 1.0) is None

    private = TelegramLimits()
    assert [private.check_and_count("7", t) for t in (0.0, 0.0, 0.0)] == [None, None, None]
    assert private.check_and_count("7", 0.5) == pytest.approx(0.5)
    assert private.check_and_count("7", 1.0) is None

    group = TelegramLimits()
    assert all(group.check_and_count("-5", float(t)) is None for t in range(20))
    assert group.check_and_count("-5", 30.0) == pytest.approx(30.0)
    assert (limits.refused, private.refused, group.refused) == (1, 1, 1)
