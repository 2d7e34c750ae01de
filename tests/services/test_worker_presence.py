"""WorkerPresence: heartbeats carry this process's totals and give the pacer its share of the bot's rate;
outbox leases are renewed while a drain runs, and no longer once it ends; shutdown retires the process."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.delivery.pacing import Pacer, PacingLimits
from bot.core.delivery.recovery import ProcessIdentity, TakenOver, WorkerRecord, claimant_id
from bot.services.workers import ProcessProbe, WorkerPresence

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeRegistry:
    """Answers heartbeats with `live` and records every call."""

    live: int = 1
    beats: list[tuple[str, timedelta, dict[str, object]]] = field(default_factory=list)
    renewals: list[timedelta] = field(default_factory=list)
    retired: list[dict[str, int]] = field(default_factory=list)

    async def heartbeat(self, role: str, now: datetime, live_within: timedelta, **counters: object) -> int:
        self.beats.append((role, live_within, counters))
        return self.live

    async def retire(self, now: datetime, **counters: int) -> None:
        self.retired.append(counters)

    async def renew_outbox_leases(self, now: datetime, lease: timedelta) -> int:
        self.renewals.append(lease)
        return 3

    async def running_workers(self) -> list[WorkerRecord]:
        return []

    async def take_over(self, dead: Collection[str], now: datetime) -> TakenOver:
        raise AssertionError("nobody is dead here")


def presence(registry: FakeRegistry, pacer: Pacer | None, sleep: object = asyncio.sleep) -> WorkerPresence:
    return WorkerPresence(registry, "worker", lambda: NOW, heartbeat=timedelta(seconds=10), overall_rate=30.0,
                          send_lease=timedelta(seconds=60), pacer=pacer, sleep=sleep)  # type: ignore[arg-type]


async def test_each_live_sender_paces_at_its_share_of_the_bots_rate() -> None:
    registry, pacer = FakeRegistry(live=3), Pacer(PacingLimits(per_second=30))
    worker = presence(registry, pacer)
    worker.counters.feeds_checked, worker.counters.messages_sent = 7, 2

    assert await worker.beat() == 3
    assert pacer.limits.per_second == pytest.approx(10.0)
    assert registry.beats == [("worker", timedelta(seconds=30), {"feeds_checked": 7, "alerts_sent": 0,
                                                                   "messages_sent": 2, "last_scan_at": None,
                                                                   "last_drain_at": None})]
    registry.live = 1  # the others stopped
    await worker.beat()
    assert pacer.limits.per_second == pytest.approx(30.0)
    await worker.retire()
    assert registry.retired == [{"feeds_checked": 7, "alerts_sent": 0, "messages_sent": 2}]


async def test_a_process_without_a_pacer_only_reports_itself() -> None:
    registry = FakeRegistry(live=2)
    updates = WorkerPresence(registry, "updates", lambda: NOW, heartbeat=timedelta(seconds=5), overall_rate=30.0,
                             send_lease=timedelta(seconds=60))
    assert await updates.beat() == 2 and registry.beats[0][0] == "updates"
    with pytest.raises(ValueError, match="role"):
        WorkerPresence(registry, "scanner", lambda: NOW, heartbeat=timedelta(seconds=5), overall_rate=30.0,
                       send_lease=timedelta(seconds=60))


async def test_leases_are_renewed_every_third_of_the_lease_only_while_the_drain_runs() -> None:
    registry = FakeRegistry()
    slept: list[float] = []
    ticks = asyncio.Event()

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) > 3:
            ticks.set()
            await asyncio.Event().wait()  # the fourth period never ends on its own
        await asyncio.sleep(0)

    worker = presence(registry, None, fake_sleep)
    async with worker.holding_leases():
        await asyncio.wait_for(ticks.wait(), 5)
    renewed = len(registry.renewals)
    await asyncio.sleep(0.01)

    assert slept[:3] == [20.0, 20.0, 20.0]
    assert renewed == 3 and registry.renewals == [timedelta(seconds=60)] * 3
    assert len(registry.renewals) == renewed  # the renewer stopped with the drain


@dataclass
class RegistryWithOthers(FakeRegistry):
    """Also knows other processes, and records what was taken over from whom."""

    others: list[WorkerRecord] = field(default_factory=list)
    taken: list[list[str]] = field(default_factory=list)

    async def running_workers(self) -> list[WorkerRecord]:
        return list(self.others)

    async def take_over(self, dead: Collection[str], now: datetime) -> TakenOver:
        self.taken.append(list(dead))
        self.live -= len(dead)  # they no longer count
        return TakenOver(outbox_rows=5 * len(dead), feeds=len(dead))


async def test_the_first_beat_takes_back_a_previous_runs_leases_before_counting_senders() -> None:
    earlier = WorkerRecord(claimant_id("host-a", 17, "aa"), "worker", NOW - timedelta(seconds=2))
    sibling = WorkerRecord(claimant_id("host-a", 18, "bb"), "worker", NOW - timedelta(seconds=2))
    registry = RegistryWithOthers(live=3, others=[earlier, sibling])
    pacer = Pacer(PacingLimits(per_second=30))
    worker = WorkerPresence(registry, "worker", lambda: NOW, heartbeat=timedelta(seconds=10), overall_rate=30.0,
                            send_lease=timedelta(seconds=60), pacer=pacer,
                            probe=ProcessProbe(ProcessIdentity("host-a", 99), lambda pid: pid == 18))

    assert await worker.beat() == 2  # pid 17 is gone, pid 18 still runs
    assert registry.taken == [[earlier.id]]
    assert pacer.limits.per_second == pytest.approx(15.0)


async def test_without_a_probe_only_silence_means_death() -> None:
    quiet = WorkerRecord(claimant_id("host-b", 5, "cc"), "worker", NOW - timedelta(seconds=31))
    recent = WorkerRecord(claimant_id("host-b", 6, "dd"), "worker", NOW - timedelta(seconds=29))
    registry = RegistryWithOthers(live=3, others=[quiet, recent])

    taken = await presence(registry, None).take_over_the_dead()

    assert registry.taken == [[quiet.id]] and (taken.outbox_rows, taken.feeds) == (5, 1)
    registry.others = [recent]
    assert (await presence(registry, None).take_over_the_dead()).outbox_rows == 0
    assert registry.taken == [[quiet.id]]  # nothing to take: no call


async def test_a_late_beat_takes_over_no_one_for_silence() -> None:
    """Its own previous beat was 40 s ago (10 s beats): the machine stalled, so others' silence proves nothing."""
    clock = [NOW]
    quiet = WorkerRecord(claimant_id("host-b", 5, "cc"), "worker", NOW - timedelta(seconds=31))
    registry = RegistryWithOthers(live=2, others=[quiet])
    worker = WorkerPresence(registry, "worker", lambda: clock[0], heartbeat=timedelta(seconds=10),
                            overall_rate=30.0, send_lease=timedelta(seconds=60))
    await worker.take_over_the_dead()
    assert registry.taken == [[quiet.id]]

    registry.taken.clear()
    clock[0] = NOW + timedelta(seconds=40)
    assert (await worker.take_over_the_dead()).outbox_rows == 0 and registry.taken == []
    clock[0] = NOW + timedelta(seconds=50)  # on time again: silence counts
    await worker.take_over_the_dead()
    assert registry.taken == [[quiet.id]]


async def test_finished_scans_and_drains_are_reported_at_the_next_heartbeat() -> None:
    registry = FakeRegistry()
    worker = presence(registry, None)
    worker.scan_finished()
    await worker.beat()
    worker.drain_finished()
    await worker.beat()
    assert [(beat[2]["last_scan_at"], beat[2]["last_drain_at"]) for beat in registry.beats] == [
        (NOW, None), (NOW, NOW)]
