"""Benchmark (not a test): how long reading public Telegram channels takes, parsing and end to end.

1. `parse_preview` on a preview page of 20 posts (text, captions, albums, forwards) written by
   tests/fakes/preview_html.py: bytes per page and milliseconds per page.
2. A ChannelReader with the real Fetcher against FakeChannelPreview on 127.0.0.1: a first read of
   `--channels` channels (one page each), a steady check with nothing new (one page each), and a catch-up
   after downtime (every channel 60 posts behind: three pages each), wall time for all channels.

    python scripts/bench_channels.py [--channels 200] [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout: the bot package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # and the fakes

from fakes.channel_preview import FakeChannelPreview
from fakes.preview_html import FakePost, render_channel_page

from bot.adapters.feeds.channel_preview import parse_preview
from bot.adapters.feeds.channel_reader import ChannelReader
from bot.adapters.feeds.fetcher import Fetcher
from bot.core.feeds.telegram_channel import channel_feed_url

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TEXT = ("قصف مدفعي على ريف إدلب الجنوبي وأنباء عن إصابات بين المدنيين قرب طريق M4.\n"
        "Shelling reported near Saraqib on the M4 highway; civil defence teams on site. ") * 3


def posts(first: int, count: int) -> list[FakePost]:
    """`count` posts of assorted kinds, ids from `first` up."""
    kinds: list[dict[str, object]] = [{}, {"photos": 1}, {"photos": 4}, {"forwarded_from": "Civil Defence"},
                                      {"edited": True}, {"reply_to": "an earlier message"}]
    return [FakePost(first + n, TEXT, NOW - timedelta(minutes=count - n), **kinds[n % len(kinds)])  # type: ignore[arg-type]
            for n in range(count)]


def bench_parse(rounds: int) -> None:
    page = render_channel_page("agency", "Agency", posts(1000, 20), before=1000).encode()
    started = time.perf_counter()
    for _ in range(rounds):
        parsed = parse_preview(page)
    elapsed = time.perf_counter() - started
    assert len(parsed.posts) == 20
    print(f"parse_preview: page of 20 posts, {len(page) / 1024:.0f} KiB: {elapsed / rounds * 1000:.2f} ms per page "
          f"({rounds} rounds)")


async def read_all(reader: ChannelReader, names: list[str], cursors: dict[str, str | None]) -> float:
    started = time.perf_counter()
    results = await asyncio.gather(*(reader.read(channel_feed_url(name), cursors[name]) for name in names))
    for name, (result, _) in zip(names, results, strict=True):
        cursors[name] = result.etag
    return time.perf_counter() - started


async def bench_reader(channels: int) -> None:
    names = [f"agency_{n:04d}" for n in range(channels)]
    async with FakeChannelPreview() as server:
        for name in names:
            server.set_channel(name, posts(1, 20))
        fetcher = Fetcher(allow_private_addresses=True, per_host_concurrency=8)
        reader = ChannelReader(fetcher, preview_base=server.base_url, max_pages=5)
        cursors: dict[str, str | None] = dict.fromkeys(names)
        try:
            first = await read_all(reader, names, cursors)
            steady = await read_all(reader, names, cursors)
            for name in names:
                server.add_posts(name, posts(21, 60))
            requests_before = len(server.requests)
            catch_up = await read_all(reader, names, cursors)
            pages = len(server.requests) - requests_before
        finally:
            await fetcher.aclose()
    print(f"{channels} channels over loopback, 8 requests at a time to the one host: first read {first:.2f} s, "
          f"steady (nothing new) {steady:.2f} s, catch-up of 60 posts each ({pages} pages) {catch_up:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    bench_parse(args.rounds)
    asyncio.run(bench_reader(args.channels))


if __name__ == "__main__":
    main()
