"""Storage for the interface (issue 6), on SQLite and PostgreSQL: recent entries for /latest, the interface
language (migration 0003) and keywords addressed by the id their remove buttons carry (see conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command
from sqlalchemy import Connection, inspect
from storage_helpers import ALEPPO, IDLIB, M4, make_feed, store

from bot.adapters.storage.database import Storage
from bot.adapters.storage.migrations import alembic_config, current_revision
from bot.core.models import ParsedEntry


def dated(identity: str, published: datetime | None, link: str | None = None) -> ParsedEntry:
    return ParsedEntry(identity=identity, title=f"title {identity}", summary="s", link=link, lang="en",
                       published_at=published)


# -- recent entries ----------------------------------------------------------------------------------


async def test_recent_entries_newest_first_with_feed_name(storage: Storage, now: datetime) -> None:
    sana = await make_feed(storage, now, "SANA", "https://sana")
    enab = await make_feed(storage, now, "Enab Baladi", "https://enab")
    await store(storage, sana, now, [dated("old", now - timedelta(hours=100)), dated("a", now - timedelta(hours=3)),
                                     dated("c", now - timedelta(hours=1), link="https://sana/c")])
    await store(storage, enab, now - timedelta(hours=2), [dated("undated", None), dated("b", now - timedelta(hours=2))])

    recent = await storage.recent_entries(now - timedelta(hours=72), limit=10)

    assert [(e.title, e.feed) for e in recent] == [("title c", "SANA"), ("title b", "Enab Baladi"),
                                                   ("title undated", "Enab Baladi"), ("title a", "SANA")]
    assert recent[0].link == "https://sana/c" and recent[0].lang == "en" and recent[0].summary == "s"
    assert recent[0].at == now - timedelta(hours=1) and recent[0].at.tzinfo is not None
    assert recent[2].at == now - timedelta(hours=2), "an undated entry counts from when it was first seen"


async def test_recent_entries_respects_window_and_limit(storage: Storage, now: datetime) -> None:
    feed = await make_feed(storage, now)
    await store(storage, feed, now, [dated(str(n), now - timedelta(minutes=n)) for n in range(20)])
    assert [e.title for e in await storage.recent_entries(now - timedelta(minutes=4.5), limit=50)] == [
        "title 0", "title 1", "title 2", "title 3", "title 4"]
    assert len(await storage.recent_entries(now - timedelta(hours=1), limit=7)) == 7
    assert await storage.recent_entries(now - timedelta(hours=1), limit=0) == []


async def test_entries_of_removed_feeds_are_still_news(storage: Storage, now: datetime) -> None:
    feed = await make_feed(storage, now, "Gone", "https://gone")
    await store(storage, feed, now, [dated("x", now)])
    assert await storage.remove_feed("Gone")
    assert [e.feed for e in await storage.recent_entries(now - timedelta(hours=1), limit=5)] == ["Gone"]


# -- interface language and keyword ids ----------------------------------------------------------------


async def test_interface_language_is_unset_until_chosen(storage: Storage, now: datetime) -> None:
    await storage.subscribe(7, "en", [IDLIB], now)
    assert (await storage.get_subscriber(7)).interface_language is None  # type: ignore[union-attr]
    assert await storage.set_interface_language(7, "ar", now) is True
    subscriber = await storage.get_subscriber(7)
    assert subscriber is not None and (subscriber.interface_language, subscriber.language) == ("ar", "en")
    assert await storage.set_interface_language(7, None, now) is True
    assert (await storage.get_subscriber(7)).interface_language is None  # type: ignore[union-attr]
    assert await storage.set_interface_language(999, "ar", now) is False, "unknown chats are not created"
    assert await storage.get_subscriber(999) is None


async def test_keywords_by_id_only_for_their_own_chat(storage: Storage, now: datetime) -> None:
    await storage.subscribe(7, "en", [IDLIB, M4], now)
    await storage.subscribe(8, "en", [ALEPPO], now)
    mine = await storage.keywords_with_ids(7)
    assert [concept for _, concept in mine] == [IDLIB, M4]
    (other_id, _), = await storage.keywords_with_ids(8)

    assert await storage.remove_keyword_by_id(7, other_id) is None, "another chat's keyword is not mine"
    assert await storage.keywords(8) == [ALEPPO]
    assert await storage.remove_keyword_by_id(7, mine[1][0]) == M4
    assert await storage.remove_keyword_by_id(7, mine[1][0]) is None, "pressing twice removes nothing more"
    assert await storage.remove_keyword_by_id(7, 10**17) is None
    assert await storage.keywords(7) == [IDLIB]


# -- migration 0003 --------------------------------------------------------------------------------------


def _columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("subscribers")}


async def test_migration_0003_down_and_up_keeps_subscribers(database_url: str, now: datetime) -> None:
    storage = await Storage.connect(database_url)
    try:
        await storage.subscribe(7, "tr", [IDLIB, M4], now)
        await storage.set_interface_language(7, "ru", now)
        async with storage.engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0002"))
            assert await conn.run_sync(current_revision) == "0002"
            assert "interface_language" not in await conn.run_sync(_columns)
        async with storage.engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            assert "interface_language" in await conn.run_sync(_columns)
        subscriber = await storage.get_subscriber(7)
        assert subscriber is not None and (subscriber.language, subscriber.interface_language) == ("tr", None)
        assert await storage.keywords(7) == [IDLIB, M4], "keywords survive (no table rebuild cascades)"
    finally:
        await storage.close()
