"""A worker dies (or freezes) mid-fan-out and is never restarted: how long until the other takes over.

Shared by tests/e2e/test_workers.py and scripts/bench_takeover.py. On a `WorkerCluster` whose leases
are long (60 s, as in production), stories are published, and once the fan-out is under way the worker
holding the most outbox leases is stopped with SIGSTOP: its process still exists (as a worker on
another host, or one whose machine vanished, would to anyone checking pids here), so only its silent
heartbeat can tell the survivor it is dead. `TakeOver` says when its leases were released and when its
chats had everything, measured from the stop; the stopped worker is then killed, so it never resumes.
"""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fakes.worker_cluster import WorkerCluster


@dataclass(frozen=True)
class TakeOver:
    """Seconds from the stop until the victim's leases were free, and until every alert arrived."""

    released_after: float
    delivered_after: float
    rows_held: int
    accepted_at_stop: int


async def freeze_the_busiest(cluster: WorkerCluster, links: list[str], *, started_after: int,
                             timeout: float = 45.0) -> TakeOver:  # noqa: ASYNC109
    """Once `started_after` messages went out, SIGSTOP the main leaseholder and time the take-over."""
    sent_before = len(cluster.api.sent)
    await cluster.wait_until(lambda _: len(cluster.api.sent) - sent_before >= started_after, timeout,
                             "the fan-out to start")
    holders = await cluster.leaseholders(datetime.now(UTC))
    for _ in range(50):  # between two drains a worker may briefly hold nothing
        if holders:
            break
        await asyncio.sleep(0.02)
        holders = await cluster.leaseholders(datetime.now(UTC))
    assert holders, "no worker held outbox leases in the middle of the fan-out"
    victim_id, rows_held = holders.most_common(1)[0]
    victim = cluster.process_of(victim_id)
    assert victim.process is not None
    victim.process.send_signal(signal.SIGSTOP)
    stopped = time.monotonic()
    accepted = len(cluster.copies(links))
    try:
        await _until(lambda: _released(cluster, victim_id), timeout, "the victim's leases to be taken over")
        released = time.monotonic() - stopped
        await cluster.wait_delivered(links, timeout=timeout)
        delivered = time.monotonic() - stopped
    finally:
        await victim.kill()
    return TakeOver(released, delivered, rows_held, accepted)


async def _released(cluster: WorkerCluster, victim_id: str) -> bool:
    return victim_id not in await cluster.leaseholders(datetime.now(UTC))


async def _until(check: object, timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        await asyncio.sleep(0.1)
