"""Which processes are dead: a previous run of this one on this host (its pid gone, or reused by this
very process), or any process silent for three heartbeats. A live process is never taken for dead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.delivery.recovery import (
    ProcessIdentity,
    Survivor,
    WorkerRecord,
    claimant_id,
    dead_workers,
    parse_claimant_id,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ME = Survivor(ProcessIdentity("bot-host-1", 400), "all", timedelta(seconds=30))


def record(host: str, pid: int, *, role: str = "all", silent: float = 1.0) -> WorkerRecord:
    return WorkerRecord(claimant_id(host, pid, "9f3a"), role, NOW - timedelta(seconds=silent))


def test_identities_round_trip_even_with_dashes_in_the_host_name() -> None:
    assert parse_claimant_id(claimant_id("web-01.example-net", 31, "ab12")) == ProcessIdentity("web-01.example-net", 31)
    assert parse_claimant_id("no-pid-here") is None
    assert parse_claimant_id("host-12-") is None
    assert parse_claimant_id("12-ab") is None


def test_a_previous_run_on_this_host_is_dead_once_its_pid_is_gone() -> None:
    gone, alive = record("bot-host-1", 321), record("bot-host-1", 322)
    running = {322}
    assert dead_workers([gone, alive], ME, NOW, running.__contains__) == [gone.id]


def test_a_previous_run_with_this_processs_own_pid_is_dead() -> None:
    """In a container the bot is often pid 1 on every run: a row with our pid but not our id is a past run."""
    earlier = record("bot-host-1", 400)
    assert dead_workers([earlier], ME, NOW, lambda pid: True) == [earlier.id]


def test_other_hosts_and_other_roles_are_judged_by_their_heartbeat_only() -> None:
    elsewhere, updates = record("bot-host-2", 321), record("bot-host-1", 321, role="updates")
    assert dead_workers([elsewhere, updates], ME, NOW, lambda pid: False) == []

    silent = record("bot-host-2", 321, silent=31)
    just_live = record("bot-host-3", 5, silent=29)
    assert dead_workers([silent, just_live], ME, NOW, lambda pid: True) == [silent.id]


def test_unparseable_identities_are_only_judged_by_their_heartbeat() -> None:
    odd = WorkerRecord("legacy", "all", NOW - timedelta(seconds=5))
    odd_and_silent = WorkerRecord("legacy2", "all", NOW - timedelta(minutes=5))
    assert dead_workers([odd, odd_and_silent], ME, NOW, lambda pid: False) == ["legacy2"]


def test_a_survivor_that_is_late_itself_judges_no_one_by_silence() -> None:
    late = Survivor(ME.me, ME.role, None)
    silent, earlier = record("bot-host-2", 321, silent=300), record("bot-host-1", 77)
    assert dead_workers([silent, earlier], late, NOW, lambda pid: False) == [earlier.id]
