"""Which processes died holding work, so that what they held is taken back at once (issue 11.3).

Every process sharing the database has an identity "<host>-<pid>-<random>" (`workers.id`, and
`leased_by` on the outbox rows and feeds it claims). A process is dead, and its leases are released
without waiting for them to run out, when either:

- it is a previous run of this process: same host, same role, and its pid is no longer running on this
  host (or is this very process's pid, which a live other process cannot have). A bot restarted after
  a crash or a kill takes its alerts back at its first heartbeat, before its first send;
- it has been silent for `silent_for` (three heartbeat intervals): another host's worker that was
  killed, lost its machine or froze. A live process never goes that long without a heartbeat unless
  its event loop is blocked for as long, which is what the rule treats as dead. A survivor that is
  itself late (its own previous heartbeat more than one and a half intervals ago) judges nobody by
  silence: when the machine or the database stalls, every process is late, and none is dead.

Pure: the caller passes the rows, this process's identity and a `is_running(pid)` probe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class WorkerRecord:
    """A process sharing the database, as its `workers` row describes it (one not recorded as stopped)."""

    id: str
    role: str
    heartbeat_at: datetime


@dataclass(frozen=True)
class TakenOver:
    """What was taken back from processes found dead: pending outbox rows and feeds they held."""

    outbox_rows: int = 0
    feeds: int = 0


@dataclass(frozen=True)
class ProcessIdentity:
    """Who a worker identity names: the host it runs on and its process id there."""

    host: str
    pid: int


def claimant_id(host: str, pid: int, suffix: str) -> str:
    """The identity of a process: "<host>-<pid>-<suffix>" (the suffix tells restarts with one pid apart)."""
    return f"{host}-{pid}-{suffix}"


def parse_claimant_id(claimant: str) -> ProcessIdentity | None:
    """The host and pid of an identity made by `claimant_id`, else None."""
    head, _, suffix = claimant.rpartition("-")
    host, _, pid = head.rpartition("-")
    if not host or not pid.isdigit() or not suffix:
        return None
    return ProcessIdentity(host, int(pid))


@dataclass(frozen=True)
class Survivor:
    """The process looking for dead ones: its identity and role, and how long silence may last."""

    me: ProcessIdentity
    role: str
    silent_for: timedelta | None
    """Silence after which another process is dead; None: this survivor is late itself, judge no one by it."""


def is_previous_run(record: WorkerRecord, survivor: Survivor, is_running: Callable[[int], bool]) -> bool:
    """`record` is an earlier run of this process on this host that is no longer running."""
    other = parse_claimant_id(record.id)
    if other is None or other.host != survivor.me.host or record.role != survivor.role:
        return False
    return other.pid == survivor.me.pid or not is_running(other.pid)


def dead_workers(records: Iterable[WorkerRecord], survivor: Survivor, now: datetime,
                 is_running: Callable[[int], bool]) -> list[str]:
    """The ids among `records` (other processes not recorded as stopped) that are dead."""
    silent_since = None if survivor.silent_for is None else now - survivor.silent_for
    return [record.id for record in records
            if (silent_since is not None and record.heartbeat_at < silent_since)
            or is_previous_run(record, survivor, is_running)]
