"""Benchmark (not a test): a feed of 20,000 matching items scanned in one cycle (issue 12, item 7).

The real parser, matcher, story clustering, storage (SQLite in a temporary folder) and sender logic, with
the test fakes for the network, the translator and Telegram (pacing sleeps are simulated). One subscriber
follows the default Idlib keyword; the feed (about 1.1 MB) lists 20,000 new items that all match it.

    python scripts/bench_flood.py [--items 20000] [--cap 20]

Printed for three set-ups: no caps at all (issue 12 as filed; only the rows queued are counted, and story
clustering is left out, as assigning 20,000 reports at once is quadratic), the per-fetch cap of 100 new
entries alone (before the per-chat cap), and both caps: new entries taken in, alert rows and summary rows
queued for the chat, and the messages the chat receives (a drain until the outbox is empty), of which
summary messages.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "services")]

from service_fakes import (  # noqa: E402
    IDLIB,
    FakeClock,
    FakeDetector,
    FakeFetcher,
    FakeFetchResult,
    FakeMonotonic,
    FakeSender,
    FakeTranslator,
    outbox_rows,
)

from bot.adapters.feeds.feed_parser import parse_feed  # noqa: E402
from bot.adapters.storage.database import Storage  # noqa: E402
from bot.core.feeds import intake  # noqa: E402
from bot.core.models import FeedConfig  # noqa: E402
from bot.services import scan as scan_module  # noqa: E402
from bot.services.delivery import DeliveryService  # noqa: E402
from bot.services.scan import ScanService  # noqa: E402
from bot.services.stories import StoryReports  # noqa: E402
from bot.services.translation import TranslationService  # noqa: E402

FEED = FeedConfig("Flood Wire", "https://flood.example/rss", "en")
BUDGET = timedelta(seconds=150)
UNLIMITED = 10**9


def flood_body(items: int) -> bytes:
    """An RSS document of `items` short matching items, newest first."""
    body = "".join(f"<item><title>Idlib {n}</title><link>https://flood.example/{n}</link></item>"
                   for n in range(items))
    return f'<rss version="2.0"><channel><title>Flood</title>{body}</channel></rss>'.encode()


async def run(items: int, cap: int, per_fetch: int, drain: bool) -> dict[str, Any]:
    body = flood_body(items)
    clock, monotonic = FakeClock(), FakeMonotonic()
    original = intake.MAX_NEW_ENTRIES_PER_FETCH
    scan_module.take_in = lambda entries, now: intake.take_in(entries, now, limit=per_fetch)  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        storage = await Storage.connect(f"sqlite:///{folder}/bench.sqlite3")
        try:
            await storage.sync_feeds([FEED], clock())
            await storage.subscribe(1, "en", [IDLIB], clock())
            fetcher = FakeFetcher({FEED.url: FakeFetchResult(body=body, final_url=FEED.url)})
            translation = TranslationService(storage, FakeTranslator(), clock)
            scan = ScanService(storage, fetcher, parse_feed, FakeDetector(), translation, clock,
                               interval=2 * BUDGET, max_entry_age=timedelta(days=1), cycle_budget=BUDGET,
                               stories=StoryReports(translation) if per_fetch <= original else None,
                               max_alerts_per_chat=cap)
            started = time.perf_counter()
            report = await scan.run_cycle()
            seconds = time.perf_counter() - started
            rows = await outbox_rows(storage)
            figures: dict[str, Any] = {
                "size": len(body), "entries": report.new_entries, "scan_s": seconds,
                "alerts": sum(not row["summary"] for row in rows), "summarised": sum(row["summary"] for row in rows),
                "messages": "-", "summaries": "-"}
            if drain:
                sender = FakeSender(monotonic)
                delivery = DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep)
                clock.advance(seconds=BUDGET.total_seconds())
                while await storage.pending_count():
                    await delivery.drain()
                figures["messages"] = len(sender.sent)
                figures["summaries"] = sum("Too many reports at once" in m.text for m in sender.sent)
            return figures
        finally:
            scan_module.take_in = intake.take_in
            await storage.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20_000, help="matching items in the feed")
    parser.add_argument("--cap", type=int, default=20, help="MAX_ALERTS_PER_SCAN for the last set-up")
    args = parser.parse_args()
    setups = [("no caps (issue 12 as filed)", UNLIMITED, UNLIMITED, False),
              (f"{intake.MAX_NEW_ENTRIES_PER_FETCH} entries per fetch, no per-chat cap", UNLIMITED,
               intake.MAX_NEW_ENTRIES_PER_FETCH, True),
              (f"{intake.MAX_NEW_ENTRIES_PER_FETCH} per fetch, {args.cap} alerts per chat", args.cap,
               intake.MAX_NEW_ENTRIES_PER_FETCH, True)]
    print(f"{'set-up':<44} {'entries':>8} {'alerts':>7} {'summ.rows':>9} {'messages':>8} {'summaries':>9} "
          f"{'scan s':>7}")
    for label, cap, per_fetch, drain in setups:
        f = asyncio.run(run(args.items, cap, per_fetch, drain))
        print(f"{label:<44} {f['entries']:>8} {f['alerts']:>7} {f['summarised']:>9} {f['messages']:>8} "
              f"{f['summaries']:>9} {f['scan_s']:>7.2f}")
    print(f"(feed body {f['size'] / 1e6:.1f} MB, one subscriber following Idlib)")


if __name__ == "__main__":
    main()
