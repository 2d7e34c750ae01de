"""ScanService against real SQLite storage: which fetched entries are new stories, and what is alerted.

Guid reuse, re-publication with an edited title, items out of date order, items too old to alert,
and a permanent redirect that moves the stored feed URL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from scan_world import NEWS, World, entry
from service_fakes import FakeClock, FakeFetchResult, entry_identities, outbox_rows

from bot.adapters.storage.database import Storage
from bot.core.feeds.identity import reused_guid_identity
from bot.core.models import ParsedEntry


@pytest.fixture
def world(storage: Storage, clock: FakeClock) -> World:
    return World(storage, clock)


def story(guid: str, title: str, path: str, clock: FakeClock, age: timedelta = timedelta(minutes=10)) -> ParsedEntry:
    return replace(entry(guid, title, clock, age=age), identity=f"guid:{guid}", link=f"https://news.example/{path}")


async def cycle(world: World, clock: FakeClock, *entries: ParsedEntry) -> tuple[int, int]:
    world.serve(NEWS, *entries, body=repr(entries).encode())
    clock.advance(hours=1)
    report = await world.scan.run_cycle()
    return report.new_entries, report.alerts


async def test_guid_reuse_is_a_new_story_and_edits_are_not(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")

    assert await cycle(world, clock, story("slot-1", "Shelling hits villages near Idlib", "a", clock)) == (1, 1)
    # the feed reuses the guid for a different story: new, alerted once
    reused = story("slot-1", "Idlib bakeries reopen after months", "b", clock)
    assert await cycle(world, clock, reused) == (1, 1)
    assert await cycle(world, clock, reused) == (0, 0)
    # the first story comes back with an edited title, under its guid or under a new guid: not alerted
    edited = story("slot-1", "UPDATE: shelling hits three villages near Idlib", "a", clock)
    republished = story("new-7", "Shelling hits three villages near Idlib", "a", clock)
    assert await cycle(world, clock, edited, republished) == (0, 0)

    rows = await outbox_rows(world.storage)
    assert [row["chat_id"] for row in rows] == [1, 1]
    assert "bakeries" in rows[1]["text"]
    identities = await entry_identities(world.storage)
    assert identities == {"guid:slot-1", reused_guid_identity("slot-1", "https://news.example/b")}


async def test_items_out_of_date_order_are_all_kept_and_old_ones_not_alerted(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    clock.advance(hours=1)
    items = [story("g2", "Idlib: second", "2", clock, age=timedelta(hours=2)),
             story("g4", "Idlib: newest", "4", clock, age=timedelta(minutes=5)),
             story("g1", "Idlib: first", "1", clock, age=timedelta(hours=3)),
             story("g0", "Idlib: last week", "0", clock, age=timedelta(days=7)),
             story("g3", "Idlib: third", "3", clock, age=timedelta(hours=1))]
    world.serve(NEWS, *items)

    report = await world.scan.run_cycle()

    assert (report.new_entries, report.alerts) == (5, 4)
    assert await entry_identities(world.storage) == {f"guid:g{n}" for n in range(5)}
    texts = [row["text"] for row in await outbox_rows(world.storage)]
    assert [next(t for t in ("first", "second", "third", "newest") if t in text) for text in texts] == [
        "first", "second", "third", "newest"]  # queued oldest first, whatever the feed's order


async def test_permanent_redirect_moves_the_stored_url(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.serve(NEWS, story("g1", "Idlib", "1", clock))
    moved = "https://news.example/new-rss"
    world.fetcher.responses[NEWS.url] = FakeFetchResult(body=NEWS.url.encode(), final_url=moved,
                                                        permanent_redirect=True)
    await world.scan.run_cycle()
    assert [f.url for f in await world.storage.list_feeds()] == [moved]
