"""Judging one bot process from its `workers` row: heartbeat, last scan and last drain against their limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.health import HealthLimits, WorkerStatus, health_problems

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
S = timedelta(seconds=1)
LIMITS = HealthLimits.for_intervals(heartbeat=10 * S, scan=300 * S, send=1 * S, send_lease=60 * S)
WORKING = WorkerStatus("host-1-ab", "all", NOW - 3600 * S, NOW - 5 * S, None, NOW - 100 * S, NOW - 2 * S)


def test_limits_follow_the_intervals() -> None:
    assert HealthLimits(heartbeat=30 * S, scan=920 * S, drain=80 * S) == LIMITS


def test_a_working_process_is_healthy() -> None:
    assert health_problems(WORKING, NOW, LIMITS) == []


def test_a_silent_heartbeat_is_unhealthy() -> None:
    (problem,) = health_problems(replace(WORKING, heartbeat_at=NOW - 31 * S), NOW, LIMITS)
    assert problem == "last heartbeat 31s ago (limit 30s)"


def test_scans_or_drains_that_stopped_finishing_are_unhealthy_even_with_a_heartbeat() -> None:
    stuck = replace(WORKING, last_scan_at=NOW - 921 * S, last_drain_at=NOW - 81 * S)
    assert health_problems(stuck, NOW, LIMITS) == ["last scan finished 15m21s ago (limit 15m20s)",
                                                   "last outbox drain finished 81s ago (limit 80s)"]


def test_a_new_process_gets_the_same_grace_before_its_first_scan() -> None:
    new = replace(WORKING, started_at=NOW - 20 * S, last_scan_at=None, last_drain_at=None)
    assert health_problems(new, NOW, LIMITS) == []
    never = replace(new, started_at=NOW - 100 * S)
    assert health_problems(never, NOW, LIMITS) == ["last outbox drain finished never, started 100s ago (limit 80s)"]


def test_an_updates_process_is_judged_by_its_heartbeat_alone() -> None:
    updates = replace(WORKING, role="updates", last_scan_at=None, last_drain_at=None, started_at=NOW - 3600 * S)
    assert health_problems(updates, NOW, LIMITS) == []


def test_a_stopped_or_missing_process_is_unhealthy() -> None:
    assert health_problems(replace(WORKING, stopped_at=NOW - S), NOW, LIMITS) == [
        "process host-1-ab stopped at 2026-12-02 02:59:59 UTC"]
    assert "no process" in health_problems(None, NOW, LIMITS)[0]
