"""ScanService.run_cycle against real SQLite storage and recording fakes (fetcher, parser, translator).

Each test builds the world through the storage API (feeds, subscribers), runs one or more cycles with
a hand-moved clock, and checks what reached the outbox and the feed's recorded health.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from scan_world import INTERVAL, NEWS, OTHER, World, entry
from service_fakes import FakeClock, FakeFetchResult, FakeTranslator, entry_identities, outbox_rows

from bot.adapters.storage.database import Storage
from bot.core.models import Concept
from bot.errors import FetchError


@pytest.fixture
def world(storage: Storage, clock: FakeClock) -> World:
    return World(storage, clock)


async def test_matching_entry_queues_one_row_per_matching_subscriber(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "ar")
    await world.subscribe(2, "ar")
    await world.subscribe(3, "en", Concept(key="aleppo", label="Aleppo", terms={"en": ("Aleppo",)}))
    world.serve(NEWS, entry("g1", "Shelling reported in Idlib", clock, summary="Two villages hit."))

    report = await world.scan.run_cycle()

    assert (report.feeds, report.new_entries, report.alerts) == (1, 1, 2)
    rows = await outbox_rows(world.storage)
    assert sorted(r["chat_id"] for r in rows) == [1, 2]
    assert await world.storage.pending_count() == 2
    claimed = await world.storage.claim_outbox(clock(), timedelta(minutes=1), 10)
    assert sorted(m.chat_id for m in claimed) == [1, 2]
    text = claimed[0].text
    assert "https://news.example/g1" in text
    assert "Syria News" in text
    assert "Shelling reported in Idlib" in text
    assert "[ar] Shelling reported in Idlib" in text
    assert "[ar] Two villages hit." in text
    assert "unavailable" not in text


async def test_second_cycle_with_same_content_queues_nothing(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("g1", "Idlib update", clock))
    await world.scan.run_cycle()
    clock.advance(minutes=6)

    report = await world.scan.run_cycle()

    assert len(world.fetcher.calls) == 2
    assert world.fetcher.calls[1] == (NEWS.url, '"v1"', None)  # conditional GET with the stored etag
    assert (report.new_entries, report.alerts) == (0, 0)
    assert len(await outbox_rows(world.storage)) == 1


async def test_non_matching_entry_is_stored_but_not_alerted(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("g1", "Weather in Damascus", clock))

    report = await world.scan.run_cycle()

    assert (report.new_entries, report.alerts) == (1, 0)
    assert await outbox_rows(world.storage) == []
    feed = await world.feed(NEWS.url)
    assert await world.storage.known_identities(feed.id, ["g1", "g2"]) == {"g1"}


async def test_same_language_subscriber_gets_no_translation(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("g1", "Idlib update", clock, summary="More later."))

    await world.scan.run_cycle()

    assert world.translator.calls == []
    (row,) = await outbox_rows(world.storage)
    assert "Idlib update" in row["text"]
    assert "Original" not in row["text"] and "unavailable" not in row["text"]


async def test_translator_called_once_per_entry_and_language(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    for chat_id in range(1, 6):
        await world.subscribe(chat_id, "ar")
    for chat_id in range(6, 9):
        await world.subscribe(chat_id, "ru")
    await world.subscribe(9, "en")
    world.serve(NEWS, entry("g1", "Idlib update", clock, summary="Details."),
                entry("g2", "Idleb again", clock, summary="Details."))

    report = await world.scan.run_cycle()

    assert report.alerts == 18
    calls = world.translator.calls
    assert len(calls) == len(set(calls)), calls
    assert {(text, target) for text, _, target in calls} == {
        (text, target) for text in ("Idlib update", "Idleb again", "Details.") for target in ("ar", "ru")
    }


@pytest.mark.parametrize("translator", [FakeTranslator(fail=True), FakeTranslator(delay=3.0)],
                         ids=["failure", "timeout"])
async def test_translation_failure_still_queues_alert(storage: Storage, clock: FakeClock,
                                                      translator: FakeTranslator) -> None:
    world = World(storage, clock, translator, timeout=0.2)
    await world.add_feeds(NEWS)
    await world.subscribe(1, "ar")
    world.serve(NEWS, entry("g1", "Idlib update", clock, summary="Details."))

    started = time.monotonic()
    report = await world.scan.run_cycle()

    assert time.monotonic() - started < 2.0
    assert report.alerts == 1 and not report.failed
    (row,) = await outbox_rows(world.storage)
    assert row["status"] == "pending"
    assert "Idlib update" in row["text"]
    assert "Translation to Arabic is unavailable" in row["text"]


async def test_entries_older_than_max_age_are_stored_not_alerted(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("old", "Idlib last week", clock, age=timedelta(days=3)),
                entry("new", "Idlib today", clock, age=timedelta(hours=2)))

    report = await world.scan.run_cycle()

    assert report.new_entries == 2
    assert await entry_identities(world.storage) == {"old", "new"}
    (row,) = await outbox_rows(world.storage)
    assert "Idlib today" in row["text"]


async def test_fetch_failure_backs_off_while_other_feeds_alert(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 503", status=503)
    world.serve(OTHER, entry("o1", "Idlib from the wire", clock))
    start = clock()

    report = await world.scan.run_cycle()

    assert report.failed == {"Syria News": "HTTP 503"}
    assert report.alerts == 1
    assert [r["text"].count("Idlib from the wire") for r in await outbox_rows(world.storage)] == [1]
    failing = await world.feed(NEWS.url)
    assert (failing.error_count, failing.last_error, failing.last_error_at) == (1, "HTTP 503", start)
    assert failing.next_check_at == start + INTERVAL
    healthy = await world.feed(OTHER.url)
    assert (healthy.error_count, healthy.last_success_at) == (0, start)

    clock.now = failing.next_check_at
    await world.scan.run_cycle()
    failing = await world.feed(NEWS.url)
    assert failing.error_count == 2
    assert failing.next_check_at == clock() + 2 * INTERVAL  # exponential backoff


async def test_not_modified_is_recorded(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FakeFetchResult(body=None, not_modified=True, final_url=NEWS.url)

    report = await world.scan.run_cycle()

    assert report.not_modified == 1 and not report.failed
    assert world.parser.calls == []
    feed = await world.feed(NEWS.url)
    assert (feed.checks, feed.not_modified, feed.error_count) == (1, 1, 0)
    assert feed.last_success_at == clock()
    assert feed.next_check_at == clock() + INTERVAL


async def test_unexpected_parser_exception_is_recorded_not_raised(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.serve(NEWS)
    world.parser.feeds[NEWS.url.encode()] = ZeroDivisionError("boom")
    world.serve(OTHER, entry("o1", "Idlib from the wire", clock))

    report = await world.scan.run_cycle()

    assert "ZeroDivisionError" in report.failed["Syria News"]
    assert report.alerts == 1
    feed = await world.feed(NEWS.url)
    assert feed.error_count == 1
    assert "boom" in (feed.last_error or "")


async def test_feeds_not_due_are_not_fetched(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.serve(NEWS, entry("g1", "Idlib", clock))
    await world.scan.run_cycle()
    assert world.fetcher.urls == [NEWS.url]

    clock.advance(minutes=4)
    report = await world.scan.run_cycle()
    assert report.feeds == 0
    assert world.fetcher.urls == [NEWS.url]

    clock.advance(minutes=1)
    await world.scan.run_cycle()
    assert world.fetcher.urls == [NEWS.url, NEWS.url]
