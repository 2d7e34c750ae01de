"""Multi-worker benchmark: entries scanned and alerts delivered per second with 1, 2 and 4 workers.

Each run gets a fresh PostgreSQL database on the server of TEST_DATABASE_URL (created and dropped), the
fake Bot API and a fake feed server of `--feeds` feeds on 127.0.0.1, `--subscribers` subscribers seeded
through Storage, and N `python -m bot run --role worker` processes (tests/fakes/worker_cluster.py).
Once every worker is live, two phases:

- scanning: every feed publishes `--entries` new items at once, none of them relevant; entries/s is
  new entries fetched, parsed, matched and stored, from the publication to the last one stored;
- delivery: one feed publishes `--stories` Idlib reports that every subscriber follows, so all alerts
  are queued in one transaction; alerts/s is outbox rows marked sent, from the moment they are queued
  to the last one accepted, and messages/s the messages that carried them (a chat's alerts due
  together travel in one message).

The fake Bot API's limits are raised for the run (printed), and the bot's SEND_RATE_PER_SECOND with
them (each worker paces at its share). The machine running everything (workers, PostgreSQL, fakes) is
the ceiling: on 2 cores, 4 workers compete for the same CPUs.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python scripts/bench_workers.py
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.feeds import FeedItem
from fakes.rate_limits import TelegramLimits
from fakes.worker_cluster import WorkerCluster
from sqlalchemy import func, select

from bot.adapters.storage import schema as db


@dataclass
class RunResult:
    workers: int
    entries: int
    entries_seconds: float
    alerts: int
    messages: int
    alerts_seconds: float
    per_worker: list[tuple[int, int, int]]

    @property
    def entries_rate(self) -> float:
        return self.entries / self.entries_seconds

    @property
    def alerts_rate(self) -> float:
        return self.alerts / self.alerts_seconds

    @property
    def messages_rate(self) -> float:
        return self.messages / self.alerts_seconds


def publish_bulletins(cluster: WorkerCluster, entries: int) -> int:
    """Every feed gets `entries` new items that match nothing; returns how many."""
    for f, path in enumerate(cluster.feed_paths):
        cluster.feeds.add_items(path, [FeedItem(f"Weather and markets in Ankara, bulletin {f}-{k}",
                                                f"https://news.example/w/{f}-{k}.html", "Prices, rain and traffic.")
                                       for k in range(entries)])
    return len(cluster.feed_paths) * entries


def publish_stories(cluster: WorkerCluster, stories: int) -> int:
    """One feed gets `stories` Idlib reports; returns how many alerts they make."""
    cluster.feeds.add_items(cluster.feed_paths[0], [
        FeedItem(f"Shelling reported near Idlib, report {k}", f"https://news.example/idlib/{k}.html",
                 "Residents of Idlib province describe the night.") for k in range(stories)])
    return stories * len(cluster.chats)


async def wait_for(cluster: WorkerCluster, done: Callable[[tuple[int, int, int]], bool], within: float) -> float:
    """Poll the counts every 0.05 s until `done(counts)`; returns the monotonic time it held."""
    deadline = time.monotonic() + within
    while not done(current := await counts(cluster)):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out; entries, outbox rows, sent: {current}")
        await asyncio.sleep(0.05)
    return time.monotonic()


async def counts(cluster: WorkerCluster) -> tuple[int, int, int]:
    """Entries stored, outbox rows, outbox rows sent."""
    o = db.outbox
    async with cluster.store.engine.connect() as conn:
        entries = (await conn.execute(select(func.count()).select_from(db.entries))).scalar_one()
        rows = (await conn.execute(select(func.count()).select_from(o))).scalar_one()
        sent = (await conn.execute(select(func.count()).select_from(o).where(o.c.status == "sent"))).scalar_one()
    return int(entries), int(rows), int(sent)


async def one_run(args: argparse.Namespace, workers: int) -> RunResult:
    limits = TelegramLimits(per_second=args.api_limit, private_burst=3, group_per_minute=20)
    settings = {"SEND_RATE_PER_SECOND": str(args.rate), "SCAN_INTERVAL_SECONDS": "1", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp:
        async with WorkerCluster(Path(tmp), workers=workers, feeds=args.feeds, subscribers=args.subscribers,
                                 settings=settings, limits=limits) as cluster:
            await asyncio.sleep(2)  # every feed checked once, empty, by someone
            total_entries = publish_bulletins(cluster, args.entries)
            started = time.monotonic()
            entries_done = await wait_for(cluster, lambda c: c[0] >= total_entries, args.timeout)
            total_alerts = publish_stories(cluster, args.stories)
            queued = await wait_for(cluster, lambda c: c[1] >= total_alerts, args.timeout)
            finished = await wait_for(cluster, lambda c: c[2] >= total_alerts, args.timeout)
            rows_by_worker = [r for r in await cluster.worker_rows() if r["role"] == "worker"]
            messages = len(cluster.api.sent)
            refused = limits.refused
    if refused:
        print(f"  (the fake Bot API refused {refused} sends with 429)")
    return RunResult(workers, total_entries, entries_done - started, total_alerts, messages, finished - queued,
                     [(r["feeds_checked"], r["alerts_sent"], r["messages_sent"]) for r in rows_by_worker])


async def run(args: argparse.Namespace) -> None:
    print(f"{args.feeds} feeds x {args.entries} new entries, then {args.stories} Idlib stories to {args.subscribers} "
          f"subscribers; fake Bot API limit raised to {args.api_limit} messages/s overall (Telegram: 30), "
          f"SEND_RATE_PER_SECOND={args.rate} shared by the workers")
    results = []
    for workers in args.workers:
        result = await one_run(args, workers)
        results.append(result)
        print(f"{workers} worker(s): {result.entries_rate:7.1f} entries/s ({result.entries} in "
              f"{result.entries_seconds:.1f} s), {result.alerts_rate:6.1f} alerts/s, {result.messages_rate:6.1f} "
              f"messages/s ({result.alerts} alerts in {result.messages} messages, {result.alerts_seconds:.1f} s)")
        print("   per worker (feeds checked, alerts sent, messages sent, totals at the last heartbeat): "
              + ", ".join(str(w) for w in result.per_worker))
    base = results[0]
    for result in results[1:]:
        print(f"scaling {result.workers} vs {base.workers}: entries x{result.entries_rate / base.entries_rate:.2f}, "
              f"alerts x{result.alerts_rate / base.alerts_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=lambda s: [int(n) for n in s.split(",")], default=[1, 2, 4])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20, help="new entries per feed")
    parser.add_argument("--stories", type=int, default=2, help="Idlib stories (each to every subscriber)")
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=600.0, help="SEND_RATE_PER_SECOND (the whole bot)")
    parser.add_argument("--api-limit", type=int, default=1000, help="the fake Bot API's messages/s overall")
    parser.add_argument("--timeout", type=float, default=300.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
