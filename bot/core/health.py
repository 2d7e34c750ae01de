"""Whether one process of the bot is healthy, judged from its row in the `workers` table (pure; time passed in).

A process is healthy when it has not stopped, its last heartbeat is recent, and, if its role scans and
sends (`all`, `worker`), its last scan and its last outbox drain finished recently. Before its first
scan or drain the time it started stands in, so a process that has just started is given the same
grace. `python -m bot health` prints the problems and exits 1 when there is any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.process_roles import JOB_ROLES


@dataclass(frozen=True)
class WorkerStatus:
    """One process as the `workers` table last saw it."""

    id: str
    role: str
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    last_scan_at: datetime | None
    last_drain_at: datetime | None


@dataclass(frozen=True)
class HealthLimits:
    """How old each sign of life may be."""

    heartbeat: timedelta
    scan: timedelta
    drain: timedelta

    @classmethod
    def for_intervals(cls, *, heartbeat: timedelta, scan: timedelta, send: timedelta,
                      send_lease: timedelta) -> HealthLimits:
        """Three heartbeats; three scan intervals, or three send intervals (at least one send lease, which
        bounds a long drain), each plus two heartbeats, since progress is written at a heartbeat."""
        lag = 2 * heartbeat
        return cls(heartbeat=3 * heartbeat, scan=3 * scan + lag, drain=max(3 * send, send_lease) + lag)


def health_problems(status: WorkerStatus | None, now: datetime, limits: HealthLimits) -> list[str]:
    """What is wrong with the process, in words for an operator; empty when it is healthy."""
    if status is None:
        return ["no process of this host has ever recorded a heartbeat (is the bot running on this database?)"]
    if status.stopped_at is not None:
        return [f"process {status.id} stopped at {status.stopped_at:%Y-%m-%d %H:%M:%S} UTC"]
    problems = []
    if now - status.heartbeat_at > limits.heartbeat:
        problems.append(f"last heartbeat {_age(now - status.heartbeat_at)} ago (limit {_age(limits.heartbeat)})")
    if status.role in JOB_ROLES:
        for what, finished, limit in (("scan", status.last_scan_at, limits.scan),
                                      ("outbox drain", status.last_drain_at, limits.drain)):
            since = now - (finished or status.started_at)
            if since > limit:
                last = f"{_age(since)} ago" if finished else f"never, started {_age(since)} ago"
                problems.append(f"last {what} finished {last} (limit {_age(limit)})")
    return problems


def _age(span: timedelta) -> str:
    seconds = max(0, round(span.total_seconds()))
    return f"{seconds}s" if seconds < 120 else f"{seconds // 60}m{seconds % 60:02d}s"
