"""Benchmark (not a test): scan cycles over hundreds of feeds served on loopback, against the floor.

A child process serves N feeds (RSS 2.0, 20 items each, ETag and Last-Modified, 304 on a match) on
127.0.0.1, spread over several ports (sites) so the fetcher's per-host limit is not the bottleneck,
and answers every request after a fixed delay. This process scans them with the real ScanService,
Fetcher, parser and language detector on a temporary SQLite database, and prints:

1. a cold cycle (every feed new: fetch, parse, match and store 20 entries each) beside the floor
   feeds x delay / concurrency (this one is CPU-bound: 10,000 entries to parse and match);
2. a steady-state cycle where nothing changed: its time and the share of 304s (must be >= 95%), and
   beside it the same conditional GETs made by a bare httpx client (what the loopback transport alone costs);
3. a usual cycle, where one feed in ten has published one new item;
4. peak resident memory of this process while scanning `--memory-feeds` feeds (must be < 200 MB);
5. stories accumulating (issue 14): `--story-cycles` usual cycles two hours apart, each adding matched
   entries and so stories; the first and last cycles' times, the stories still open (read by each scan)
   against all stored, and peak memory, which must stay flat as old stories leave the window.

Matched entries join stories as in the bot (bot/services/stories.py); `--no-stories` scans without them
(the figures of the scan before issue 14).

    python scripts/bench_feeds.py [--feeds 500] [--delay 0.05] [--concurrency 20] [--memory-feeds 1000]
                                  [--story-cycles 40] [--no-stories]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
from aiohttp import web

from bot.adapters.config_files import load_concepts, load_places
from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.storage.database import Storage
from bot.adapters.translation.language import LanguageDetector
from bot.adapters.translation.translator import make_translator
from bot.core.models import FeedConfig
from bot.core.stories.place_index import PlaceIndex
from bot.services.scan import ScanService
from bot.services.stories import ClusteringRules, StoryReports
from bot.services.translation import TranslationService

REPO = Path(__file__).resolve().parents[1]
FEEDS_PER_SITE = 10
TOWNS = ["Saraqib", "Maarat al-Numan", "Jisr al-Shughur", "Khan Shaykhun", "Kafranbel", "Taftanaz", "Sarmada",
         "Salqin", "Darkush", "Armanaz", "Kansafra", "Hazano"]
WORDS = ["market", "weather", "football", "election", "bridge", "harvest", "festival", "museum", "railway", "port"]


def rss(number: int, version: int = 0, offset: float = 0.0) -> bytes:
    """Feed `number` after `version` new items: its 20 newest, every tenth feed with one item about Idlib."""
    items = []
    now = datetime.now(UTC) + timedelta(seconds=offset)  # the scan's shifted clock: items are recent to it
    for item in reversed(range(version, version + 20)):
        town = TOWNS[(number // 10 + item) % len(TOWNS)]  # feeds publishing at once report different events
        idlib = item % 20 == 0 and number % 10 == 0
        topic = f"Shelling reported in {town}, Idlib" if idlib else f"{WORDS[item % 10]} news"
        items.append(f"<item><title>{escape(topic)} {number}-{item}</title>"
                     f"<link>https://site{number}.example/a/{item}</link>"
                     f"<description>Report {item} from site {number}: {' '.join(WORDS)}.</description>"
                     f"<guid>https://site{number}.example/a/{item}</guid>"
                     f"<pubDate>{format_datetime(now - timedelta(minutes=20 - item), usegmt=True)}</pubDate>"
                     "</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site {number}</title>'
            f"<link>https://site{number}.example</link><description>x</description><language>en</language>"
            f"{''.join(items)}</channel></rss>").encode()


def serve(feeds: int, delay: float, pipe: Connection) -> None:
    """Child process: serve `feeds` feeds on loopback and send the base URLs back; then, for each number
    `step` received, publish one new item in every `step`-th feed and answer "ok"."""
    versions = [0] * feeds
    bodies = {number: rss(number) for number in range(feeds)}
    tags = {number: '"' + hashlib.sha256(body).hexdigest()[:16] + '"' for number, body in bodies.items()}
    modified = format_datetime(datetime.now(UTC), usegmt=True)

    def publish(step: int, offset: float) -> None:
        for number in range(0, feeds, step):
            versions[number] += 1
            bodies[number] = rss(number, versions[number], offset)
            tags[number] = '"' + hashlib.sha256(bodies[number]).hexdigest()[:16] + '"'

    async def handle(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        number = int(request.match_info["number"])
        headers = {"ETag": tags[number], "Last-Modified": modified}
        if request.headers.get("If-None-Match") == tags[number]:
            return web.Response(status=304, headers=headers)
        return web.Response(body=bodies[number], headers={**headers, "Content-Type": "application/rss+xml"})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{number}.xml", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        urls = []
        for _ in range((feeds + FEEDS_PER_SITE - 1) // FEEDS_PER_SITE):
            site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
            await site.start()
            urls.append(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}")  # type: ignore[union-attr]
        pipe.send(urls)
        loop = asyncio.get_running_loop()
        while True:
            publish(*await loop.run_in_executor(None, pipe.recv))
            pipe.send("ok")

    asyncio.run(main())


class ShiftedClock:
    """The real UTC clock, moved forward by hand to make every feed due again without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def build(db_path: str, feed_urls: list[str], concurrency: int,
                clock: Callable[[], datetime], stories: bool = True) -> tuple[Storage, Fetcher, ScanService]:
    storage = await Storage.connect(f"sqlite:///{db_path}")
    feeds = [FeedConfig(f"Site {number}", url, "en") for number, url in enumerate(feed_urls)]
    await storage.sync_feeds(feeds, clock())
    concepts = load_concepts(REPO / "config" / "keywords.toml")
    for chat_id in range(1, 6):
        await storage.subscribe(chat_id, "en", concepts, clock())
    fetcher = Fetcher(allow_private_addresses=True)
    translation = TranslationService(storage, make_translator("none"), clock, timeout=1)
    places = PlaceIndex.from_places(load_places(REPO / "config" / "places.toml"))  # as bot/app.py builds it
    scan = ScanService(storage, fetcher, parse_feed, LanguageDetector(), translation, clock,
                       interval=timedelta(minutes=5), max_entry_age=timedelta(days=3), concurrency=concurrency,
                       stories=StoryReports(translation, ClusteringRules(places)) if stories else None)
    return storage, fetcher, scan


def feed_urls(sites: list[str], feeds: int) -> list[str]:
    return [f"{sites[number // FEEDS_PER_SITE]}/feed/{number}.xml" for number in range(feeds)]


async def timed_cycle(scan: ScanService, clock: ShiftedClock) -> tuple[float, int, int, int]:
    clock.offset += timedelta(hours=2)  # everything is due again
    started = time.perf_counter()
    report = await scan.run_cycle()
    await scan.wait_idle()
    return time.perf_counter() - started, report.feeds, report.not_modified, len(report.failed)


async def bare_httpx_cycle(urls: list[str], concurrency: int) -> float:
    """The same conditional GETs with a bare httpx client and nothing else: what the transport alone costs.

    Each URL is fetched once for its validators, then timed with If-None-Match (a 304 each), a site's feeds
    interleaved with other sites' as the scan does it."""
    order = sorted(urls, key=lambda url: int(url.rsplit("/", 1)[1].split(".")[0]) % FEEDS_PER_SITE)
    gate = asyncio.Semaphore(concurrency)
    etags: dict[str, str] = {}
    async with httpx.AsyncClient() as client:
        async def get(url: str) -> None:
            async with gate:
                response = await client.get(url, headers={"If-None-Match": etags[url]} if url in etags else {})
                etags[url] = response.headers.get("ETag", "")

        await asyncio.gather(*(get(url) for url in order))
        started = time.perf_counter()
        await asyncio.gather(*(get(url) for url in order))
        return time.perf_counter() - started


def current_rss_mb() -> float:
    """Resident memory now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


async def publish(server: Connection, step: int, clock: ShiftedClock) -> None:
    """Have the server publish one new item in every `step`-th feed, dated by the scan's shifted clock."""
    server.send((step, (clock.offset + timedelta(hours=2)).total_seconds()))
    await asyncio.to_thread(server.recv)


async def bench(args: argparse.Namespace, sites: list[str], server: Connection) -> None:
    floor = args.feeds * args.delay / args.concurrency
    with tempfile.TemporaryDirectory() as tmp:
        clock = ShiftedClock()
        storage, fetcher, scan = await build(f"{tmp}/speed.sqlite3", feed_urls(sites, args.feeds), args.concurrency,
                                             clock, not args.no_stories)
        try:
            seconds, feeds, unchanged, failed = await timed_cycle(scan, clock)
            print(f"cold cycle:   {feeds} feeds in {seconds:.2f} s (floor {floor:.2f} s = {args.feeds} x "
                  f"{args.delay * 1000:g} ms / {args.concurrency}); {failed} failed")
            seconds, feeds, unchanged, failed = await timed_cycle(scan, clock)
            share = 100 * unchanged / max(feeds, 1)
            print(f"steady cycle: {feeds} feeds in {seconds:.2f} s (floor {floor:.2f} s); "
                  f"304 for {unchanged}/{feeds} = {share:.1f}% (must be >= 95%); {failed} failed")
            bare = await bare_httpx_cycle(feed_urls(sites, args.feeds), args.concurrency)
            print(f"transport:    the same {args.feeds} conditional GETs with a bare httpx client, nothing else: "
                  f"{bare:.2f} s")
            await publish(server, 10, clock)
            seconds, feeds, unchanged, failed = await timed_cycle(scan, clock)
            print(f"usual cycle:  {feeds} feeds, {feeds - unchanged} with a new item, in {seconds:.2f} s "
                  f"(floor {floor:.2f} s); {failed} failed")
        finally:
            await scan.aclose()
            await fetcher.aclose()
            await storage.close()
        before = peak_rss_mb()
        clock = ShiftedClock()
        storage, fetcher, scan = await build(f"{tmp}/memory.sqlite3", feed_urls(sites, args.memory_feeds),
                                             args.concurrency, clock, not args.no_stories)
        try:
            cold, *_ = await timed_cycle(scan, clock)
            steady, *_ = await timed_cycle(scan, clock)
        finally:
            await scan.aclose()
            await fetcher.aclose()
            await storage.close()
        print(f"memory:       peak RSS {peak_rss_mb():.0f} MB (was {before:.0f} MB before) scanning "
              f"{args.memory_feeds} feeds, cold {cold:.2f} s and steady {steady:.2f} s (must be < 200 MB)")
        if args.story_cycles and not args.no_stories:
            await accumulate_stories(args, sites, server, f"{tmp}/stories.sqlite3")


async def accumulate_stories(args: argparse.Namespace, sites: list[str], server: Connection, db_path: str) -> None:
    """Usual cycles two hours apart: stories pile up in the database, the scan reads only the open ones."""
    clock = ShiftedClock()
    storage, fetcher, scan = await build(db_path, feed_urls(sites, args.feeds), args.concurrency, clock)
    times: list[float] = []
    memory: list[float] = []
    try:
        await timed_cycle(scan, clock)
        for _ in range(args.story_cycles):
            await publish(server, 10, clock)
            seconds, *_ = await timed_cycle(scan, clock)
            times.append(seconds)
            memory.append(current_rss_mb())
        total = len(await storage.open_stories(clock() - timedelta(days=3650)))
        still_open = len(await storage.open_stories(scan.stories.clustering.open_since(clock())
                                                    if scan.stories else clock()))
    finally:
        await scan.aclose()
        await fetcher.aclose()
        await storage.close()
    tenth = max(1, len(times) // 10)
    print(f"stories:      {args.story_cycles} usual cycles 2 h apart: first {tenth} took "
          f"{sum(times[:tenth]) / tenth:.2f} s on average, last {tenth} {sum(times[-tenth:]) / tenth:.2f} s; "
          f"{still_open} stories open of {total} stored; resident memory {memory[tenth - 1]:.0f} MB after "
          f"cycle {tenth}, {max(memory[-tenth:]):.0f} MB at most over the last {tenth}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.05, help="server delay per response, seconds")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--memory-feeds", type=int, default=1000)
    parser.add_argument("--story-cycles", type=int, default=40, help="usual cycles while stories accumulate")
    parser.add_argument("--no-stories", action="store_true", help="scan without stories (as before issue 14)")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(max(args.feeds, args.memory_feeds), args.delay, theirs), daemon=True)
    server.start()
    try:
        sites = ours.recv()
        asyncio.run(bench(args, sites, ours))
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
