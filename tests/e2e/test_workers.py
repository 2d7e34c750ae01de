"""Several worker processes (`python -m bot run --role worker`) sharing one PostgreSQL database, with one
fake Bot API, a fake feed server of 40 feeds and 500 subscribers seeded through Storage.

What must hold: every alert is delivered exactly once; both feeds and sending are spread over every
worker (each one's `workers` row counts feeds it claimed and messages it sent); and a worker killed
with SIGKILL in the middle of a fan-out loses nothing: once its leases run out the others send its
chats, and at most the messages it had in flight are repeated. The fake Bot API's limits are off here
(SEND_RATE_PER_SECOND=400 in total); tests/e2e/test_paced_sender.py covers pacing under them.

40 feeds, not the 200 of scripts/bench_workers.py: a feed that is not yet established is checked every
scan interval, so 200 idle feeds kept both cores busy with about 200 checks a second and starved the
fan-outs being tested (the two-worker test took 34-74 s instead of 10); 40 is still ten per worker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.takeover_scenario import freeze_the_busiest
from fakes.worker_cluster import TOKEN, WorkerCluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CONCURRENCY = 8
FEEDS = 40


def assert_exactly_once(cluster: WorkerCluster, links: list[str]) -> None:
    copies = cluster.copies(links)
    assert len(copies) == len(cluster.chats) * len(links)
    doubled = {pair: n for pair, n in copies.items() if n != 1}
    assert not doubled, f"{len(doubled)} alerts delivered more than once, e.g. {list(doubled.items())[:3]}"


async def assert_work_spread(cluster: WorkerCluster, expected_workers: int) -> None:
    """Every worker claimed feeds and sent messages (its counters reach the table at its next heartbeat)."""
    def everyone_worked(rows: list[dict[str, object]]) -> bool:
        workers = [r for r in rows if r["role"] == "worker"]
        return len(workers) >= expected_workers and all(
            int(r["feeds_checked"]) > 0 and int(r["messages_sent"]) > 0 for r in workers)  # type: ignore[call-overload]
    await cluster.wait_until(everyone_worked, 15, "every worker to have checked feeds and sent messages")
    rows = [r for r in await cluster.worker_rows() if r["role"] == "worker"]
    assert sum(int(r["alerts_sent"]) for r in rows) >= len(cluster.chats)  # type: ignore[call-overload]


async def test_two_workers_deliver_every_alert_once_and_share_the_work(tmp_path: Path) -> None:
    async with WorkerCluster(tmp_path, workers=2, feeds=FEEDS) as cluster:
        links = cluster.publish(6, start_feed=17)
        await cluster.wait_delivered(links, timeout=150)  # six stories: six messages per chat, none joined
        await assert_work_spread(cluster, 2)
        assert_exactly_once(cluster, links)
        assert not any(call == "getUpdates" for call, _ in cluster.api.calls)  # workers never poll

        updates = await cluster.add_worker(0, role="updates")
        cluster.api.user_sends(42, "/start")
        await cluster.api.wait_for_messages(42, 1, timeout=30)
        await cluster.wait_until(lambda rows: any(r["role"] == "updates" for r in rows), 15, "the updates process")
        assert await cluster.store.get_subscriber(42) is not None
        receiver = [r for r in await cluster.worker_rows() if r["role"] == "updates"]
        logs = [p.log_text() for p in cluster.processes]

    assert updates.log_text().count("role updates") == 1
    assert all("role worker" in log for log in logs[:2])
    assert not any(TOKEN.split(":", 1)[1] in log for log in logs)
    assert receiver and all(r["feeds_checked"] == 0 and r["messages_sent"] == 0 for r in receiver)


async def test_four_workers_share_the_work_and_a_killed_one_loses_nothing(tmp_path: Path) -> None:
    async with WorkerCluster(tmp_path, workers=4, feeds=FEEDS, send_delay=0.01,
                             settings={"SEND_CONCURRENCY": str(CONCURRENCY), "SEND_RATE_PER_SECOND": "240"}) as cluster:
        first = cluster.publish(4, start_feed=3)
        await cluster.wait_delivered(first, timeout=120)
        await assert_work_spread(cluster, 4)
        assert_exactly_once(cluster, first)

        second = cluster.publish(4, start_feed=21)
        sent_before = len(cluster.api.sent)
        await cluster.wait_until(lambda _: len(cluster.api.sent) - sent_before >= 150, 60, "the fan-out to start")
        holders = await cluster.leaseholders(datetime.now(UTC))
        assert holders, "no worker held outbox leases in the middle of the fan-out"
        victim_id, _ = holders.most_common(1)[0]
        victim = cluster.process_of(victim_id)
        late = cluster.publish(2, start_feed=30)  # published as the worker dies: whoever claims them
        await victim.kill()
        accepted_at_kill = len(cluster.copies(second))

        await cluster.wait_delivered(second + late, timeout=150)
        copies = cluster.copies(second + late)

    assert accepted_at_kill < len(cluster.chats) * len(second), "the kill came after the fan-out ended"
    assert len(copies) == len(cluster.chats) * len(second + late)  # nothing lost
    repeated_chats = {chat for (chat, _), n in copies.items() if n > 1}
    assert len(repeated_chats) <= CONCURRENCY, repeated_chats  # at most the messages in flight at the kill
    assert max(copies.values()) <= 2


async def test_a_silent_worker_is_taken_over_within_three_heartbeats_not_at_lease_expiry(tmp_path: Path) -> None:
    """Issue 11.3: two workers, 2 s heartbeats, 60 s leases; one stops answering mid-fan-out and never
    comes back. Its leases are released after about three heartbeats and the other sends its chats."""
    settings = {"SEND_LEASE_SECONDS": "60", "FEED_LEASE_SECONDS": "60", "SEND_RATE_PER_SECOND": "40",
                "WORKER_HEARTBEAT_SECONDS": "2",
                "SEND_CONCURRENCY": "4"}
    async with WorkerCluster(tmp_path, workers=2, feeds=40, subscribers=150, send_delay=0.01,
                             settings=settings) as cluster:
        links = cluster.publish(3, start_feed=10)
        result = await freeze_the_busiest(cluster, links, started_after=30, timeout=90)
        copies = cluster.copies(links)
        logs = [p.log_text() for p in cluster.processes]

    assert result.accepted_at_stop < len(cluster.chats) * len(links), "the stop came after the fan-out ended"
    assert result.released_after < 20, result  # 3 beats = 6 s, plus a beat and a loaded machine; lease is 60 s
    assert len(copies) == len(cluster.chats) * len(links)  # nothing lost
    repeated_chats = {chat for (chat, _), n in copies.items() if n > 1}
    assert len(repeated_chats) <= 4, repeated_chats  # at most its SEND_CONCURRENCY messages in flight
    assert max(copies.values()) <= 2
    assert any("took over from 1 stopped process" in log for log in logs)
