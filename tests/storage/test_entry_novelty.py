"""Storage tests for FeedStore.known_entries (what bot.core.feeds.novelty needs), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from storage_helpers import make_feed, store

from bot.adapters.storage.database import Storage
from bot.core.feeds.identity import canonical_link, reused_guid_identity
from bot.core.feeds.novelty import KnownEntry, lookup_identities, lookup_links, new_entries
from bot.core.models import ParsedEntry


def story(identity: str, title: str, link: str | None, guid: str | None = None) -> ParsedEntry:
    return ParsedEntry(identity=identity, title=title, summary="", link=link, guid=guid)


async def test_known_entries_by_identity_or_link(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    other_feed = await make_feed(storage, now, name="Other", url="https://other")
    long_identity = "guid:" + "x" * 400
    await store(storage, feed_id, now, [
        story("guid:a", "Shelling near Idlib", "https://e.example/a?utm_source=rss", "a"),
        story("guid:b", "Convoy on the M4", "https://e.example/b", "b"),
        story(long_identity, "Long one", None, "x" * 400),
        story("hash:1", "No link at all", None),
    ])
    await store(storage, other_feed, now, [story("guid:c", "Other feed", "https://e.example/c", "c")])

    found = await storage.known_entries(
        feed_id, ["guid:a", long_identity, "guid:zzz"],
        ["https://e.example/b", "https://e.example/c", canonical_link("https://e.example/a?utm_source=rss")],
    )
    assert sorted(found, key=lambda k: k.identity) == [
        KnownEntry("guid:a", "https://e.example/a?utm_source=rss", "Shelling near Idlib"),
        KnownEntry("guid:b", "https://e.example/b", "Convoy on the M4"),
        KnownEntry(long_identity, None, "Long one"),
    ]
    assert await storage.known_entries(feed_id, [], []) == []
    assert await storage.known_entries(other_feed, ["guid:a"], ["https://e.example/a?utm_source=rss"]) == []


async def test_known_entries_in_large_batches(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    stored = [story(f"guid:{n}", f"title {n}", f"https://e.example/{n}", str(n)) for n in range(1200)]
    await store(storage, feed_id, now, stored)
    found = await storage.known_entries(feed_id, [f"guid:{n}" for n in range(0, 1200, 2)],
                                        [f"https://e.example/{n}" for n in range(1, 1200, 2)])
    assert len(found) == 1200


async def test_guid_reuse_and_republication_round_trip_through_storage(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    first = story("guid:slot", "Shelling hits villages near Idlib", "https://e.example/a", "slot")
    await store(storage, feed_id, now, [first])

    async def fresh(*entries: ParsedEntry) -> list[ParsedEntry]:
        known = await storage.known_entries(feed_id, lookup_identities(entries), lookup_links(entries))
        return new_entries(entries, known)

    reused = story("guid:slot", "Bread prices rise in Aleppo markets", "https://e.example/b", "slot")
    edited = story("guid:slot", "UPDATE: shelling hits three villages near Idlib", "https://e.example/a", "slot")
    republished = story("guid:new", "Shelling hits three villages near Idlib", "https://e.example/a", "new")
    (new_story,) = await fresh(reused, edited, republished)
    assert new_story.identity == reused_guid_identity("slot", "https://e.example/b")
    assert await store(storage, feed_id, now, [new_story]) == 1
    assert await fresh(reused, edited, republished) == []
