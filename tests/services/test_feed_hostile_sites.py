"""Faulty feeds against the real Fetcher, parser and SQLite storage, served by FakeFeedServer on 127.0.0.1.

For each fault (hanging, trickling, huge, broken, refused, rate-limited, redirecting in circles) the
faulty feed is recorded as failing and backs off, while a healthy feed on another site still gets its
alert queued within the cycle; nothing raises. Also: an entity bomb does nothing, a 304 is never
parsed, the validators go out on every fetch, and Cache-Control / <ttl> push the next check back.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from scan_world import INTERVAL, World
from service_fakes import FakeClock, outbox_rows

from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.storage.database import Storage
from bot.core.models import FeedConfig

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes.feed_faults import ENTITY_BOMB_BODY, GARBAGE_BODY, NOT_A_FEED_BODY, Fault  # noqa: E402
from fakes.feeds import FakeFeedServer, FeedItem  # noqa: E402

TIMEOUT = 2.5  # the fetcher's deadline per feed, seconds
BUDGET = timedelta(seconds=1.0)  # how long a cycle waits for its feeds before returning (healthy ones take ~50 ms)
MAX_BYTES = 200_000


class Sites:
    """A healthy news site and a misbehaving one (two servers: two hosts for the per-host limits)."""

    def __init__(self, healthy: FakeFeedServer, faulty: FakeFeedServer) -> None:
        self.healthy = healthy
        self.faulty = faulty
        self.good = FeedConfig("Good Wire", healthy.url("/good.xml"), "en")
        self.bad = FeedConfig("Bad Wire", faulty.url("/bad.xml"), "en")

    def publish(self, slug: str) -> str:
        link = f"https://news.example/{slug}"
        self.healthy.add_items("/good.xml", [FeedItem(f"Shelling reported near Idlib ({slug})", link)], lang="en")
        return link


@pytest.fixture
async def sites() -> AsyncIterator[Sites]:
    async with FakeFeedServer() as healthy, FakeFeedServer() as faulty:
        yield Sites(healthy, faulty)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    fetcher = Fetcher(max_bytes=MAX_BYTES, connect_timeout=1.0, total_timeout=TIMEOUT, allow_private_addresses=True)
    yield fetcher
    await fetcher.aclose()


@pytest.fixture
async def world(storage: Storage, clock: FakeClock, fetcher: Fetcher, sites: Sites) -> AsyncIterator[World]:
    world = World(storage, clock, fetcher=fetcher, parser=parse_feed, cycle_budget=BUDGET)
    await world.add_feeds(sites.good, sites.bad)
    await world.subscribe(1, "en")
    yield world
    await world.scan.aclose()


def respond(status: int, **headers: str) -> Callable[[FakeFeedServer], None]:
    return lambda server: server.set_failure("/bad.xml", status, headers)


def fault(kind: Fault) -> Callable[[FakeFeedServer], None]:
    return lambda server: server.set_fault("/bad.xml", kind)


def body(raw: bytes, content_type: str = "application/rss+xml") -> Callable[[FakeFeedServer], None]:
    return lambda server: server.set_raw("/bad.xml", raw, content_type)


FAULTS = {
    "hang": (fault(Fault.hang()), "timed out"),
    "trickle": (fault(Fault.trickle(every=0.1)), "timed out"),
    "huge-streamed": (fault(Fault.huge()), "cap"),
    "huge-declared": (fault(Fault.huge(declare_length=True)), "cap"),
    "redirect-loop": (fault(Fault.redirect_loop()), "redirects"),
    "html-page": (body(NOT_A_FEED_BODY, "text/html"), "not a feed"),
    "garbage": (body(GARBAGE_BODY), "not a feed"),
    "403": (respond(403), "HTTP 403"),
    "500": (respond(500), "HTTP 500"),
}


@pytest.mark.parametrize("name", list(FAULTS))
async def test_a_faulty_feed_fails_and_backs_off_while_the_healthy_one_alerts(
        name: str, world: World, sites: Sites, clock: FakeClock) -> None:
    make_fault, error = FAULTS[name]
    make_fault(sites.faulty)
    link = sites.publish("first")
    started = clock()

    report = await asyncio.wait_for(world.scan.run_cycle(), TIMEOUT + 5)

    assert [link in row["text"] for row in await outbox_rows(world.storage)] == [True], "healthy alert on time"
    if name in ("hang", "trickle"):
        assert report.in_flight == 1  # the cycle returned while the bad feed was still being cut off
    await asyncio.wait_for(world.scan.wait_idle(), TIMEOUT + 5)
    assert error in report.failed["Bad Wire"]
    bad = await world.feed(sites.bad.url)
    assert (bad.error_count, bad.failing_since) == (1, started)
    assert error in (bad.last_error or "")
    assert bad.next_check_at == started + INTERVAL

    clock.now = bad.next_check_at
    second = sites.publish("second")
    await world.scan.run_cycle()
    await asyncio.wait_for(world.scan.wait_idle(), TIMEOUT + 5)
    bad = await world.feed(sites.bad.url)
    assert bad.error_count == 2 and bad.next_check_at == clock() + 2 * INTERVAL  # backing off
    assert any(second in row["text"] for row in await outbox_rows(world.storage))
    assert (await world.feed(sites.good.url)).error_count == 0


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_on_429_and_503_delays_the_next_check(status: int, world: World, sites: Sites,
                                                                clock: FakeClock) -> None:
    sites.faulty.set_failure("/bad.xml", status, {"Retry-After": "1200"})
    await world.scan.run_cycle()
    await world.scan.wait_idle()
    bad = await world.feed(sites.bad.url)
    assert bad.error_count == 1 and f"HTTP {status}" in (bad.last_error or "")
    assert bad.next_check_at - clock() == timedelta(minutes=20)


async def test_an_entity_bomb_does_nothing(world: World, sites: Sites) -> None:
    sites.faulty.set_raw("/bad.xml", ENTITY_BOMB_BODY)
    await asyncio.wait_for(world.scan.run_cycle(), 10)
    await world.scan.wait_idle()
    bad = await world.feed(sites.bad.url)
    async with world.storage.engine.connect() as conn:
        from sqlalchemy import select

        from bot.adapters.storage import schema as db

        titles = list((await conn.execute(select(db.entries.c.title).where(db.entries.c.feed_id == bad.id))).scalars())
    assert all(len(title) < 100 for title in titles)  # no expansion
    assert not any("root:" in title for title in titles)  # no external entity
    assert bad.error_count == 0 or "not a feed" in (bad.last_error or "")


async def test_a_304_is_never_parsed_and_validators_go_out_on_every_fetch(storage: Storage, clock: FakeClock,
                                                                          fetcher: Fetcher, sites: Sites) -> None:
    parsed: list[bytes] = []

    def counting_parse(raw: bytes, **kwargs: object) -> object:
        parsed.append(raw)
        return parse_feed(raw, **kwargs)  # type: ignore[arg-type]

    world = World(storage, clock, fetcher=fetcher, parser=counting_parse)
    await world.add_feeds(sites.good)
    sites.publish("one")
    await world.scan.run_cycle()
    for _ in range(3):
        clock.now = (await world.feed(sites.good.url)).next_check_at
        await world.scan.run_cycle()
    assert len(parsed) == 1
    assert [status for path, status in sites.healthy.responses] == [200, 304, 304, 304]
    first, *later = sites.healthy.requests_for("/good.xml")
    assert "If-None-Match" not in first
    assert all(h.get("If-None-Match") and h.get("If-Modified-Since") for h in later)
    feed = await world.feed(sites.good.url)
    assert (feed.checks, feed.not_modified) == (4, 3)


async def test_cache_control_and_ttl_push_the_next_check_back(storage: Storage, clock: FakeClock,
                                                             fetcher: Fetcher, sites: Sites) -> None:
    world = World(storage, clock, fetcher=fetcher, parser=parse_feed, max_interval=timedelta(minutes=30))
    await world.add_feeds(sites.good)
    sites.healthy.set_items("/good.xml", [FeedItem("Weather", "https://news.example/w")], ttl=20)
    await world.scan.run_cycle()
    feed = await world.feed(sites.good.url)
    assert feed.ttl_seconds == 1200 and feed.next_check_at - clock() == timedelta(minutes=20)

    sites.healthy.set_headers("/good.xml", {"Cache-Control": "public, max-age=1500"})
    clock.now = feed.next_check_at
    await world.scan.run_cycle()  # a 304 carrying max-age
    feed = await world.feed(sites.good.url)
    assert feed.next_check_at - clock() == timedelta(minutes=25)
