"""ScanService scheduling and feed health against real SQLite storage and fakes: adaptive intervals with
server lower bounds and a ceiling, backoff with Retry-After, one admin notice per failure run (surviving a
restart) and one on recovery, and slow feeds that never hold back a cycle."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from scan_world import INTERVAL, NEWS, OTHER, World, entry
from service_fakes import FakeClock, FakeFetcher, FakeFetchResult, FakeNotifier, FakeParsedFeed, outbox_rows

from bot.adapters.storage.database import Storage
from bot.core.feeds.fetched import FetchResult
from bot.core.feeds.schedule import PublishingRate
from bot.core.models import FeedConfig
from bot.errors import FetchError
from bot.services.scan import FeedHealthOptions

CEILING = timedelta(minutes=30)
HOUR = timedelta(hours=1)


@pytest.fixture
def world(storage: Storage, clock: FakeClock) -> World:
    return World(storage, clock, max_interval=CEILING)


async def make_quiet(world: World) -> None:
    """Give NEWS the history of a feed watched for days that published nothing."""
    feed = await world.feed(NEWS.url)
    await world.storage.record_not_modified(feed.id, world.clock(), world.clock(),
                                            rate=PublishingRate(0.0, timedelta(days=3).total_seconds()))


async def next_check(world: World) -> timedelta:
    return (await world.feed(NEWS.url)).next_check_at - world.clock()


async def test_a_feed_that_stops_publishing_drifts_to_the_ceiling_and_no_further(world: World,
                                                                                  clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.serve(NEWS, entry("g1", "Weather", clock))
    await world.scan.run_cycle()  # the backlog: teaches nothing about the rate
    assert await next_check(world) == INTERVAL
    world.unchanged(NEWS)
    intervals = []
    for _ in range(250):  # about a day of 304s
        clock.now = (await world.feed(NEWS.url)).next_check_at
        await world.scan.run_cycle()
        intervals.append(await next_check(world))
    assert intervals[0] == INTERVAL  # no evidence yet: every scan interval
    assert intervals[-1] == CEILING
    assert all(INTERVAL <= gap <= CEILING for gap in intervals)
    assert intervals == sorted(intervals)  # drifts up steadily, never jumps around
    feed = await world.feed(NEWS.url)
    assert feed.entries_per_day == 0 and feed.observed_seconds > timedelta(hours=12).total_seconds()


async def test_a_busy_feed_stays_at_the_scan_interval(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    for number in range(200):  # a new item every 15 minutes, for two days
        world.serve(NEWS, entry(f"g{number // 3}", "News", clock))
        clock.now = (await world.feed(NEWS.url)).next_check_at
        await world.scan.run_cycle()
        assert await next_check(world) == INTERVAL
    assert (await world.feed(NEWS.url)).entries_per_day == pytest.approx(96, rel=0.1)


async def test_a_quiet_feed_that_publishes_is_checked_again_at_the_scan_interval(world: World,
                                                                                 clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await make_quiet(world)
    world.unchanged(NEWS)
    await world.scan.run_cycle()
    assert await next_check(world) == CEILING
    clock.now += CEILING
    world.serve(NEWS, entry("g1", "Breaking", clock))
    await world.scan.run_cycle()
    assert await next_check(world) == INTERVAL


async def test_max_age_and_ttl_are_lower_bounds_capped_by_the_ceiling(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.serve(NEWS, entry("g1", "News", clock), max_age_seconds=900)
    await world.scan.run_cycle()
    assert await next_check(world) == timedelta(minutes=15)

    clock.now += timedelta(minutes=15)
    world.serve(NEWS, entry("g2", "News", clock), ttl_seconds=6 * 3600)  # <ttl>360</ttl>
    await world.scan.run_cycle()
    assert await next_check(world) == CEILING  # six hours asked; a news feed waits at most the ceiling
    assert (await world.feed(NEWS.url)).ttl_seconds == 6 * 3600

    clock.now += CEILING
    world.unchanged(NEWS)  # a 304 carries no body, the stored ttl still counts
    await world.scan.run_cycle()
    assert await next_check(world) == CEILING


async def test_retry_after_is_honoured_within_the_backoff_cap(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 429 Too Many Requests", status=429, retry_after=1200)
    await world.scan.run_cycle()
    assert await next_check(world) == timedelta(minutes=20)

    clock.now += timedelta(minutes=20)
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 503", status=503, retry_after=7 * 86400)
    await world.scan.run_cycle()
    assert await next_check(world) == HOUR  # a week asked; never parked that long


async def test_backoff_doubles_up_to_the_cap_and_keeps_trying(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FetchError("timed out")
    delays = []
    for _ in range(12):
        await world.scan.run_cycle()
        delays.append(await next_check(world))
        clock.now = (await world.feed(NEWS.url)).next_check_at
    assert delays[:5] == [INTERVAL, 2 * INTERVAL, 4 * INTERVAL, 8 * INTERVAL, HOUR]
    assert set(delays[4:]) == {HOUR}
    assert len(world.fetcher.calls) == 12 and (await world.feed(NEWS.url)).error_count == 12


async def test_jitter_spreads_backoff_within_bounds(storage: Storage, clock: FakeClock) -> None:
    class Jitter:
        def __init__(self) -> None:
            self.values = iter([0.9] * 100)

        def random(self) -> float:
            return next(self.values)

    world = World(storage, clock, rng=Jitter())
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 500")
    for _ in range(3):
        clock.now = (await world.feed(NEWS.url)).next_check_at
        await world.scan.run_cycle()
    delay = await next_check(world)
    assert 0.5 * 4 * INTERVAL <= delay < 4 * INTERVAL


async def test_admins_hear_once_when_failing_and_once_when_recovered_across_a_restart(
        storage: Storage, clock: FakeClock) -> None:
    def start(notifier: FakeNotifier) -> World:
        return World(storage, clock, fetcher=fetcher, health=FeedHealthOptions(notifier, alert_after=HOUR))

    fetcher = FakeFetcher()
    first = FakeNotifier()
    world = start(first)
    await world.add_feeds(NEWS, OTHER)
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 403 Forbidden", status=403)
    world.unchanged(OTHER)
    started = clock()
    while clock() - started < 3 * HOUR:
        await world.scan.run_cycle()
        clock.advance(minutes=5)
    assert len(first.notices) == 1
    (notice,) = first.notices
    assert "Syria News" in notice and "HTTP 403 Forbidden" in notice
    feed = await world.feed(NEWS.url)
    assert feed.failure_notified and feed.failing_since == started

    second = FakeNotifier()  # the bot restarts: the state is in the database
    world = start(second)
    for _ in range(12):
        await world.scan.run_cycle()
        clock.advance(minutes=10)
    assert second.notices == []

    world.unchanged(NEWS)
    clock.advance(hours=1)
    await world.scan.run_cycle()
    clock.advance(minutes=10)
    await world.scan.run_cycle()
    assert len(second.notices) == 1 and "works again" in second.notices[0]
    feed = await world.feed(NEWS.url)
    assert (feed.error_count, feed.failing_since, feed.failure_notified) == (0, None, False)
    assert first.notices == [notice]


async def test_a_short_failure_run_tells_nobody(storage: Storage, clock: FakeClock) -> None:
    notifier = FakeNotifier()
    world = World(storage, clock, health=FeedHealthOptions(notifier, alert_after=HOUR))
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 502")
    for _ in range(3):  # 0, 5 and 15 minutes
        clock.now = (await world.feed(NEWS.url)).next_check_at
        await world.scan.run_cycle()
    world.unchanged(NEWS)
    clock.now = (await world.feed(NEWS.url)).next_check_at
    await world.scan.run_cycle()
    assert notifier.notices == []


async def test_a_failing_notifier_never_breaks_the_scan(storage: Storage, clock: FakeClock) -> None:
    class BrokenNotifier:
        async def notify_admins(self, text: str) -> None:
            raise RuntimeError("telegram is down")

    world = World(storage, clock, health=FeedHealthOptions(BrokenNotifier(), alert_after=timedelta(0)))
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.fetcher.responses[NEWS.url] = FetchError("HTTP 500")
    world.serve(OTHER, entry("o1", "Idlib from the wire", clock))
    report = await world.scan.run_cycle()
    assert report.failed == {"Syria News": "HTTP 500"} and report.alerts == 1
    assert (await world.feed(NEWS.url)).failure_notified


class HangingFetcher(FakeFetcher):
    """Like FakeFetcher, but fetching `hang_url` waits until `release` is set."""

    def __init__(self, hang_url: str) -> None:
        super().__init__()
        self.hang_url = hang_url
        self.release = asyncio.Event()

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        if url == self.hang_url:
            self.calls.append((url, etag, last_modified))
            await self.release.wait()
            raise FetchError("timed out after 30s")
        return await super().fetch(url, etag, last_modified)


async def test_a_hanging_feed_never_holds_back_the_cycle_or_the_next(storage: Storage, clock: FakeClock) -> None:
    fetcher = HangingFetcher(NEWS.url)
    world = World(storage, clock, fetcher=fetcher, cycle_budget=timedelta(seconds=1), lease=timedelta(minutes=2))
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.serve(OTHER, entry("o1", "Idlib from the wire", clock))

    report = await asyncio.wait_for(world.scan.run_cycle(), 5)
    assert (report.feeds, report.in_flight, report.alerts) == (2, 1, 1)
    assert len(await outbox_rows(storage)) == 1  # the healthy feed's alert is queued already

    clock.advance(minutes=5)  # the next tick, past the hanging feed's lease: it is not fetched twice
    world.serve(OTHER, entry("o2", "Idlib again", clock))
    report = await asyncio.wait_for(world.scan.run_cycle(), 5)
    assert report.alerts == 1 and len(await outbox_rows(storage)) == 2
    assert fetcher.urls.count(NEWS.url) == 1

    fetcher.release.set()
    await asyncio.wait_for(world.scan.wait_idle(), 5)
    assert (await world.feed(NEWS.url)).error_count == 1


async def test_closing_cancels_checks_in_flight(storage: Storage, clock: FakeClock) -> None:
    fetcher = HangingFetcher(NEWS.url)
    world = World(storage, clock, fetcher=fetcher, cycle_budget=timedelta(seconds=0.1))
    await world.add_feeds(NEWS)
    report = await world.scan.run_cycle()
    assert report.in_flight == 1
    await asyncio.wait_for(world.scan.aclose(), 5)
    await asyncio.wait_for(world.scan.wait_idle(), 1)
    assert (await world.feed(NEWS.url)).error_count == 0  # nothing recorded: the lease brings it back


async def test_feeds_of_one_site_are_interleaved_with_other_sites(world: World, clock: FakeClock) -> None:
    feeds = [FeedConfig(f"A{n}", f"https://a.example/{n}", "en") for n in range(3)]
    feeds += [FeedConfig(f"B{n}", f"https://b.example/{n}", "en") for n in range(2)]
    await world.add_feeds(*feeds)
    for feed in feeds:
        world.unchanged(feed)
    await world.scan.run_cycle()
    assert [url.split("//")[1] for url in world.fetcher.urls] == [
        "a.example/0", "b.example/0", "a.example/1", "b.example/1", "a.example/2"]


async def test_validators_are_sent_on_every_fetch(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    world.fetcher.responses[NEWS.url] = FakeFetchResult(body=b"v1", final_url=NEWS.url, etag='"v1"',
                                                        last_modified="Sat, 01 Mar 2025 11:00:00 GMT")
    world.parser.feeds[b"v1"] = FakeParsedFeed("en")
    await world.scan.run_cycle()
    world.unchanged(NEWS, etag='"v1"', last_modified="Sat, 01 Mar 2025 11:00:00 GMT")
    for _ in range(3):
        clock.now = (await world.feed(NEWS.url)).next_check_at
        await world.scan.run_cycle()
    assert world.fetcher.calls[0] == (NEWS.url, None, None)
    assert set(world.fetcher.calls[1:]) == {(NEWS.url, '"v1"', "Sat, 01 Mar 2025 11:00:00 GMT")}
    assert len(world.parser.calls) == 1  # the 304s were never parsed
