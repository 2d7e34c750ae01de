"""Take-over benchmark: two workers on PostgreSQL, one stops answering mid-fan-out and never comes back.

Uses tests/fakes/takeover_scenario.py: 60 s leases, `--beat` second heartbeats; the worker holding the
most outbox leases is SIGSTOPped (its pid still exists, so only its silence shows it is dead) and later
killed. Prints how long until its leases were released and until every alert arrived, against the
3-heartbeat rule and the lease.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python scripts/bench_takeover.py
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes.takeover_scenario import freeze_the_busiest
from fakes.worker_cluster import WorkerCluster


async def run(args: argparse.Namespace) -> None:
    settings = {"SEND_LEASE_SECONDS": "60", "FEED_LEASE_SECONDS": "60", "SEND_RATE_PER_SECOND": "40",
                "WORKER_HEARTBEAT_SECONDS": str(args.beat), "SEND_CONCURRENCY": "4"}
    with tempfile.TemporaryDirectory() as tmp:
        async with WorkerCluster(Path(tmp), workers=2, feeds=40, subscribers=args.subscribers, send_delay=0.01,
                                 settings=settings) as cluster:
            links = cluster.publish(3, start_feed=10)
            result = await freeze_the_busiest(cluster, links, started_after=30, timeout=120)
            copies = cluster.copies(links)
    print(f"stopped worker held {result.rows_held} rows; its leases were released {result.released_after:.1f} s after "
          f"the stop (rule: 3 x {args.beat:g} s heartbeats; lease 60 s); every alert arrived after "
          f"{result.delivered_after:.1f} s; lost {len(cluster.chats) * len(links) - len(copies)}, "
          f"repeated {sum(n - 1 for n in copies.values())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beat", type=float, default=2.0, help="WORKER_HEARTBEAT_SECONDS")
    parser.add_argument("--subscribers", type=int, default=150)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
