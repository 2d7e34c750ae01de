"""Storage tests for the subscriber side: subscribers, keywords and translations (see conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import select, text
from storage_helpers import ALEPPO, IDLIB, LEASE, M4, entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery

# -- subscribers and keywords ----------------------------------------------------------------------


async def test_subscribe_unsubscribe_resubscribe(storage: Storage, now: datetime) -> None:
    assert await storage.subscribe(7, "tr", [IDLIB, M4], now) is True
    assert await storage.subscribe(7, "en", [IDLIB], now) is False
    assert await storage.get_subscriber(7) is not None
    assert (await storage.get_subscriber(7)).language == "tr"  # type: ignore[union-attr]
    assert await storage.keywords(7) == [IDLIB, M4]
    assert await storage.add_keyword(7, ALEPPO, now) is True
    assert await storage.add_keyword(7, ALEPPO, now) is False
    assert await storage.count_keywords(7) == 3

    feed_id = await make_feed(storage, now)
    alerts = {"a": [Delivery(7, "alert", "idlib"), Delivery(8, "x", "k")]}
    await store(storage, feed_id, now, [entry("a")], alerts)
    assert await storage.unsubscribe(7, now) is True
    assert await storage.unsubscribe(7, now) is False
    assert await storage.pending_count(7) == 0 and await storage.pending_count(8) == 1
    assert [m.chat_id for m in await storage.claim_outbox(now, LEASE, 10)] == [8]
    assert (await storage.get_subscriber(7)).active is False  # type: ignore[union-attr]

    assert await storage.subscribe(7, "ru", [IDLIB], now) is True
    assert await storage.keywords(7) == [IDLIB, M4, ALEPPO]  # kept, not reset to the defaults
    assert (await storage.get_subscriber(7)).language == "tr"  # type: ignore[union-attr]
    assert await storage.pending_count(7) == 0  # no backlog after /start


async def test_resubscribe_without_keywords_gets_defaults(storage: Storage, now: datetime) -> None:
    await storage.subscribe(5, "en", [IDLIB], now)
    assert await storage.remove_keyword(5, "idlib") == IDLIB
    await storage.unsubscribe(5, now)
    assert await storage.subscribe(5, "en", [IDLIB, M4], now) is True
    assert [c.key for c in await storage.keywords(5)] == ["idlib", "m4"]


async def test_deactivate_cancels_with_reason(storage: Storage, now: datetime) -> None:
    await storage.subscribe(9, "en", [], now)
    feed_id = await make_feed(storage, now)
    await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(9, "alert", "idlib")]})
    await storage.deactivate(9, "blocked by user", now)
    assert (await storage.get_subscriber(9)).active is False  # type: ignore[union-attr]
    async with storage.engine.connect() as conn:
        row = (await conn.execute(select(db.outbox.c.status, db.outbox.c.last_error))).one()
    assert tuple(row) == ("cancelled", "blocked by user")
    assert await storage.get_subscriber(404) is None


async def test_keywords_language_and_stats(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.subscribe(2, "ar", [M4], now)
    await storage.add_keyword(2, ALEPPO, now)
    await storage.unsubscribe(1, now)
    assert [(k.chat_id, k.concept.key) for k in await storage.active_keywords()] == [(2, "m4"), (2, "aleppo")]
    assert await storage.set_language(2, "tr", now) is True
    assert await storage.set_language(3, "tr", now) is False
    assert (await storage.get_subscriber(2)).language == "tr"  # type: ignore[union-attr]
    assert await storage.remove_keyword(2, "m4 HIGHWAY") == M4  # label, any case
    assert await storage.remove_keyword(2, "m4") is None
    assert await storage.remove_keyword(2, "aleppo") == ALEPPO  # key
    assert await storage.count_keywords(2) == 0 and await storage.keywords(2) == []
    with pytest.raises(LookupError):
        await storage.add_keyword(404, ALEPPO, now)
    stats = await storage.stats()
    assert stats == {"active_subscribers": 1, "feeds": 0, "entries": 0,
                     "pending_outbox": 0, "sent_outbox": 0, "failed_outbox": 0}


# -- translations ----------------------------------------------------------------------------------


async def test_translation_cache(storage: Storage, now: datetime) -> None:
    assert await storage.get_translation("قصف إدلب", "ar", "en") is None
    await storage.put_translation("قصف إدلب", "ar", "en", "Idlib shelled", "google", now)
    assert await storage.get_translation("قصف إدلب", "ar", "en") == "Idlib shelled"
    assert await storage.get_translation("قصف إدلب", "ar", "tr") is None
    await storage.put_translation("قصف إدلب", "ar", "en", "Shelling in Idlib", "libre", now)
    assert await storage.get_translation("قصف إدلب", "ar", "en") == "Shelling in Idlib"
    await asyncio.gather(*(storage.put_translation("x", "en", "ru", "икс", "google", now) for _ in range(5)))
    assert await storage.get_translation("x", "en", "ru") == "икс"
    async with storage.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM translations"))).scalar() == 2


async def test_keywords_signature_changes_with_the_active_keywords(storage: Storage, now: datetime) -> None:
    empty = await storage.keywords_signature()
    await storage.subscribe(7, "en", [IDLIB], now)
    one = await storage.keywords_signature()
    assert one != empty
    await storage.add_keyword(7, ALEPPO, now)
    two = await storage.keywords_signature()
    assert two != one
    assert await storage.keywords_signature() == two  # stable while nothing changes
    await storage.remove_keyword(7, ALEPPO.key)
    assert await storage.keywords_signature() != two
    await storage.unsubscribe(7, now)
    assert await storage.keywords_signature() == empty


async def test_languages_of_many_chats_in_one_call(storage: Storage, now: datetime) -> None:
    await storage.subscribe(7, "tr", [IDLIB], now)
    await storage.subscribe(8, "ar", [IDLIB], now)
    assert await storage.languages([7, 8, 9]) == {7: "tr", 8: "ar"}
    assert await storage.languages([]) == {}
