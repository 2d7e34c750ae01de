"""The fetch-and-parse path keeps the event loop responsive on hostile feeds (issue 12, acceptance).

Hostile feeds are served by FakeFeedServer on 127.0.0.1 and fetched and parsed the way a scan does it
(bot.services.scan: `Fetcher.fetch`, then `parse_feed` in a thread) and the way /addfeed does it
(`FeedAdminService.add`), one feed after the other, while a probe task sleeps 10 ms at a time and records how late it
wakes up. Each input froze the loop for seconds before its fix (scripts/bench_hostile.py has the
figures: a regex in a parsing thread holds the GIL), so the 100 ms bound is far from both a regression
and ordinary noise. Lateness caused by other processes on a loaded machine is not the bot's: the
scenario is tried up to three times and passes when one run stays under the bound.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from datetime import datetime
from pathlib import Path
from typing import Any

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes.feeds import FakeFeedServer  # noqa: E402

from bot.adapters.feeds.feed_parser import parse_feed  # noqa: E402
from bot.adapters.feeds.fetcher import Fetcher  # noqa: E402
from bot.core.models import FeedConfig  # noqa: E402
from bot.errors import FeedError  # noqa: E402
from bot.services.feeds import FeedAdminService  # noqa: E402

MAX_LAG = 0.1
TICK = 0.01
ATTEMPTS = 3


def _rss(items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


HOSTILE = {
    "/unclosed-comment.xml": _rss("<item><title>Idlib</title><description>&lt;!--"
                                  + " &lt;a" * 20_000 + "</description></item>"),
    "/legacy.xml": b'<rss version="2.0"><channel><title>\xe9</title><item><title>\xe9 '
                   + b"a" * 40_000 + b"</title></item></channel></rss>",
    "/bomb.xml": (b'x<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + b"x" * 16_000 + b'">\n]>\n'
                  b'<rss version="2.0"><channel><title>t</title><item><title>b</title><description>'
                  + b"&a;" * 8_000 + b"</description></item></channel></rss>"),
    "/surrogates.xml": _rss("".join(f"<item><title>&#55357;&#56613; {n}</title></item>" for n in range(500))),
    "/many-items.xml": _rss("".join(f"<item><title>Item {n} near Idlib</title><link>https://n.example/{n}</link>"
                                    f"<description>{'Shelling on the M4. ' * 5}</description></item>"
                                    for n in range(500))),
}
CACHE_CONTROL = "a" * 8_000 + "!"  # under the header size limits of the server and of httpx


class _Feeds:
    async def add_feed(self, feed: FeedConfig, now: datetime) -> FeedConfig:
        return feed


async def _probe(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(TICK)
        lags.append(loop.time() - started - TICK)


async def _scan_like(fetcher: Fetcher, url: str) -> Any:
    result = await fetcher.fetch(url)
    return await asyncio.to_thread(parse_feed, result.body, url=url, content_type=result.content_type)


async def _worst_lag(server: FakeFeedServer, fetcher: Fetcher) -> tuple[float, list[Any]]:
    admin = FeedAdminService(_Feeds(), fetcher, parse_feed, datetime.now)  # type: ignore[arg-type]
    lags: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(_probe(lags, stop))
    await asyncio.sleep(3 * TICK)
    outcomes: list[Any] = []
    for path in HOSTILE:  # one at a time: ten big parses at once share the GIL with the loop, hostile or not
        jobs: list[Awaitable[Any]] = [_scan_like(fetcher, server.url(path)),
                                      admin.add(FeedConfig("Wire", server.url(path), "en"))]
        outcomes += await asyncio.gather(*jobs, return_exceptions=True)
    stop.set()
    await probe
    return max(lags), outcomes


async def test_hostile_feeds_never_freeze_the_event_loop() -> None:
    async with FakeFeedServer() as server:
        for path, body in HOSTILE.items():
            server.set_raw(path, body)
            server.set_headers(path, {"Cache-Control": CACHE_CONTROL})
        fetcher = Fetcher(max_bytes=2_000_000, per_host_concurrency=4, allow_private_addresses=True)
        try:
            worst: list[float] = []
            for _ in range(ATTEMPTS):
                lag, outcomes = await _worst_lag(server, fetcher)
                assert not [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, FeedError)]
                worst.append(lag)
                if lag < MAX_LAG:
                    break
        finally:
            await fetcher.aclose()
    assert min(worst) < MAX_LAG, f"event loop lag per attempt: {[round(lag * 1000) for lag in worst]} ms"
