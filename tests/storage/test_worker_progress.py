"""The workers table remembers when each process last finished a scan and a drain, for `python -m bot health`."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from bot.adapters.storage.database import Storage

BEAT = timedelta(seconds=10)


@pytest.fixture
async def later(storage: Storage, database_url: str) -> AsyncIterator[Storage]:
    """A second process of the same host, started after the first."""
    second = await Storage.connect(database_url)
    try:
        yield second
    finally:
        await second.close()


async def test_progress_is_kept_between_heartbeats_that_do_not_carry_it(storage: Storage, now: datetime) -> None:
    await storage.heartbeat("all", now, 3 * BEAT, last_scan_at=now - BEAT, last_drain_at=now)
    await storage.heartbeat("all", now + BEAT, 3 * BEAT)  # nothing finished since: the old times stay

    row = await storage.latest_worker_of_host(socket.gethostname())
    assert row is not None
    assert (row.id, row.role, row.heartbeat_at) == (storage.claimant, "all", now + BEAT)
    assert (row.last_scan_at, row.last_drain_at, row.stopped_at) == (now - BEAT, now, None)


async def test_the_latest_started_process_of_the_host_is_the_one_read(storage: Storage, later: Storage,
                                                                       now: datetime) -> None:
    await storage.heartbeat("all", now, 3 * BEAT)
    await later.heartbeat("worker", now + BEAT, 3 * BEAT)
    await storage.retire(now + 2 * BEAT)

    row = await storage.latest_worker_of_host(socket.gethostname())
    assert row is not None and row.id == later.claimant and row.role == "worker" and row.started_at == now + BEAT
    assert await storage.latest_worker_of_host("another-host") is None
