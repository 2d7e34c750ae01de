"""Fan-out benchmark: one alert to N subscribers through the real sender and pacer.

The Bot API is tests/fakes' FakeBotApi on 127.0.0.1 enforcing Telegram's limits (30 messages in any
second overall, a burst of 3 then 1/s per private chat, 20/min per group) and answering 429 past them,
with a configurable latency per sendMessage. Storage is real SQLite; the bot is python-telegram-bot's
ExtBot with the app's PacedRateLimiter sharing the sender's pacer, as in the app. Prints messages/s
(overall and sustained), 429s received, losses (subscribers without the alert) and duplicates.

    python scripts/bench_fanout.py --subscribers 3000 --latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.bot_api import FakeBotApi
from fakes.rate_limits import TelegramLimits
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.adapters.storage.database import Storage
from bot.adapters.telegram.rate_limiter import PacedRateLimiter
from bot.adapters.telegram.telegram_sender import TelegramSender
from bot.core.delivery.pacing import Pacer, PacingLimits
from bot.core.models import Delivery, FeedConfig, ParsedEntry
from bot.services.delivery import DeliveryOptions, DeliveryService

TOKEN = "123456:BENCH-token"
ALERT = "🔔 <b>Idlib</b> · Bench Wire\n\n<b>Shelling reported near Idlib</b>\n<a href=\"https://x.example/1\">link</a>"


def utc_now() -> datetime:
    return datetime.now(UTC)


async def queue_alert(storage: Storage, subscribers: int) -> None:
    now = utc_now()
    for chat_id in range(1, subscribers + 1):
        await storage.subscribe(chat_id, "en", [], now)
    feed = await storage.add_feed(FeedConfig("Bench", "https://bench.example/rss", "en"), now)
    entry = ParsedEntry(identity="story-1", title="Shelling reported near Idlib", summary="", link=None, lang="en")
    deliveries = {"story-1": [Delivery(chat_id, ALERT, "idlib") for chat_id in range(1, subscribers + 1)]}
    await storage.store_fetch_result(feed.id, entries=[entry], deliveries=deliveries, etag=None,
                                     last_modified=None, now=now, next_check_at=now + timedelta(hours=1))


async def run(args: argparse.Namespace) -> None:
    limits = TelegramLimits()
    async with FakeBotApi(TOKEN, limits=limits, send_delay=args.latency) as api:
        with tempfile.TemporaryDirectory() as tmp:
            storage = await Storage.connect(f"sqlite:///{tmp}/bench.sqlite3")
            await queue_alert(storage, args.subscribers)
            pacer = Pacer(PacingLimits(per_second=args.rate))
            bot = ExtBot(TOKEN, base_url=f"{api.url}/bot", rate_limiter=PacedRateLimiter(pacer),
                         request=HTTPXRequest(connection_pool_size=args.concurrency * 2))
            await bot.initialize()
            delivery = DeliveryService(storage, TelegramSender(bot), utc_now,
                                       options=DeliveryOptions(concurrency=args.concurrency), pacer=pacer)
            started = time.monotonic()
            flood_waits = 0
            while await storage.pending_count():
                report = await delivery.drain()
                flood_waits += report.flood_waits
                if report.claimed == 0:
                    await asyncio.sleep(0.2)
            elapsed = time.monotonic() - started
            await bot.shutdown()
            await storage.close()
        times = sorted(m["sent_at"] for m in api.sent)
        per_chat = Counter(int(m["chat_id"]) for m in api.sent)
    sustained = [t for t in times if times[0] + 1 <= t <= times[-1] - 1]
    sustained_rate = (len(sustained) - 1) / (sustained[-1] - sustained[0]) if len(sustained) > 1 else 0.0
    print(f"subscribers {args.subscribers}, latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}, "
          f"pacer {args.rate}/s")
    print(f"delivered {len(api.sent)} messages in {elapsed:.1f} s: {len(api.sent) / elapsed:.1f} msg/s overall, "
          f"{sustained_rate:.1f} msg/s sustained (first to last second excluded)")
    print(f"429s from the server: {limits.refused} (flood waits seen by the sender: {flood_waits})")
    print(f"losses: {args.subscribers - len(per_chat)}, duplicates: {sum(c - 1 for c in per_chat.values())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per sendMessage at the fake")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=29.0, help="the pacer's overall messages per second")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
