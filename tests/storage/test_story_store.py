"""Story assignment in storage: in the entries' transaction, only open stories read, and no race on PostgreSQL
makes two stories of one event; the messages that carry story alerts are recorded with their rows."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select
from storage_helpers import make_feed

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import Delivery, ParsedEntry, StoryMessage
from bot.core.stories.clustering import Report
from bot.services.stories import ClusteringRules


def entry(identity: str, title: str, link: str | None = None) -> ParsedEntry:
    return ParsedEntry(identity=identity, title=title, summary="", link=link or f"https://x/{identity}")


def report(item: ParsedEntry, site: str, published: datetime) -> Report:
    return Report(key=item.identity, source=site, lang="en", published=published, title=item.title,
                  link=item.link or "")


async def store_reported(storage: Storage, feed_id: int, now: datetime, items: list[ParsedEntry], site: str,
                         published: datetime) -> int:
    deliveries = {item.identity: [Delivery(chat_id=7, text=f"alert {item.identity}", keyword="idlib")]
                  for item in items}
    return await storage.store_fetch_result(
        feed_id, entries=items, deliveries=deliveries, etag=None, last_modified=None, now=now,
        next_check_at=now + timedelta(minutes=5), reports={i.identity: report(i, site, published) for i in items},
        clustering=ClusteringRules())


async def story_of(storage: Storage) -> dict[str, int | None]:
    e, o = db.entries, db.outbox
    async with storage.engine.connect() as conn:
        entries = {r.identity: r.story_id for r in await conn.execute(select(e.c.identity, e.c.story_id))}
        rows = (await conn.execute(select(o.c.entry_id, o.c.story_id, e.c.identity)
                                   .join(e, e.c.id == o.c.entry_id))).all()
    assert {r.identity: r.story_id for r in rows} == entries  # every outbox row carries its entry's story
    return entries


async def test_same_title_on_two_sites_joins_one_story(storage: Storage, now: datetime) -> None:
    first, second = await make_feed(storage, now, "A", "https://a.example/rss"), await make_feed(
        storage, now, "B", "https://b.example/rss")
    await store_reported(storage, first, now, [entry("x", title="Blast on the M4")], "a.example", now)
    await store_reported(storage, second, now, [entry("y", title="Blast on the M4", link="https://b/y")],
                         "b.example", now + timedelta(hours=1))

    stories = await story_of(storage)
    assert stories["x"] == stories["y"] is not None
    [story] = await storage.open_stories(now - timedelta(days=1))
    assert story.sources == {"a.example", "b.example"}
    assert story.last_published == now + timedelta(hours=1)


async def test_closed_stories_are_not_read_or_joined(storage: Storage, now: datetime) -> None:
    feed = await make_feed(storage, now)
    await store_reported(storage, feed, now, [entry("old", title="Blast on the M4")], "a.example",
                         now - timedelta(hours=37))
    await store_reported(storage, feed, now, [entry("new", title="Blast on the M4", link="https://x/new2")],
                         "b.example", now)

    stories = await story_of(storage)
    assert stories["old"] != stories["new"]
    assert [s.story_id for s in await storage.open_stories(now - timedelta(hours=36))] == [stories["new"]]


async def test_concurrent_scans_of_one_event_make_one_story(pg_database_url: str, now: datetime) -> None:
    one, two = await Storage.connect(pg_database_url), await Storage.connect(pg_database_url)
    try:
        feeds = [await make_feed(one, now, f"F{n}", f"https://f{n}.example/rss") for n in range(8)]
        for round_ in range(4):
            items = [entry(f"r{round_}-{n}", title=f"Convoy hit near Saraqib {round_}") for n in range(8)]
            await asyncio.gather(*(store_reported(store, feed, now, [item], f"f{n}.example", now)
                                   for n, (store, feed, item) in enumerate(
                                       zip([one, two] * 4, feeds, items, strict=True))))
        stories = await story_of(one)
        for round_ in range(4):
            assert len({stories[f"r{round_}-{n}"] for n in range(8)}) == 1
    finally:
        await one.close()
        await two.close()


async def test_a_story_alert_marks_its_rows_sent_and_records_the_message(storage: Storage, now: datetime) -> None:
    feed = await make_feed(storage, now)
    await store_reported(storage, feed, now, [entry("x", title="Blast on the M4")], "a.example", now)
    [row] = await storage.claim_outbox(now, timedelta(minutes=1), 10)
    assert row.story_id is not None
    message = StoryMessage(chat_id=7, story_id=row.story_id, message_id=55, outbox_id=row.id, text="full",
                           base_text="base", entry_ids=frozenset({row.entry_id}), editable=True, sent_at=now)

    await storage.record_story_alert([row.id], message, now)
    await storage.record_story_alert([], StoryMessage(**{**message.__dict__, "text": "grown", "editable": False}),
                                     now + timedelta(minutes=1))

    assert await storage.pending_count() == 0
    stored = await storage.story_messages([(7, row.story_id), (8, row.story_id)])
    assert list(stored) == [(7, row.story_id)]
    assert stored[(7, row.story_id)].text == "grown"
    assert stored[(7, row.story_id)].editable is False
    assert stored[(7, row.story_id)].entry_ids == {row.entry_id}
    reports = await storage.story_reports([row.story_id])
    assert [(r.entry_id, r.source, r.site) for r in reports[row.story_id]] == [(row.entry_id, "SANA", "x")]


async def test_a_damaged_story_row_does_not_stop_the_scan(storage: Storage, now: datetime) -> None:
    feed = await make_feed(storage, now)
    await store_reported(storage, feed, now, [entry("x", title="Blast on the M4")], "a.example", now)
    async with storage.engine.begin() as conn:
        await conn.execute(db.stories.update().values(features="{not json", sources="[", languages="7"))

    await store_reported(storage, feed, now, [entry("y", title="Convoy reaches Saraqib")], "b.example", now)

    stories = await story_of(storage)
    assert stories["y"] is not None
    [damaged] = [s for s in await storage.open_stories(now - timedelta(days=1)) if s.story_id == stories["x"]]
    assert damaged.sources == frozenset() and damaged.languages == frozenset()
