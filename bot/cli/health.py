"""`python -m bot health`: exit 0 when this host's bot process is alive and its jobs finish, else 1 and why.

Made for Docker's HEALTHCHECK and systemd watchdogs: it reads the `workers` table (never migrates or
writes), takes the most recently started process of this host (a container's host name is its own), and
judges it with bot/core/health.py against limits derived from the settings.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TextIO

from bot.adapters.storage.database import Storage
from bot.core.health import HealthLimits, WorkerStatus, health_problems
from bot.errors import StorageError
from bot.settings import Settings


def limits_for(settings: Settings) -> HealthLimits:
    """The health limits that follow from the configured intervals."""
    return HealthLimits.for_intervals(heartbeat=timedelta(seconds=settings.worker_heartbeat_seconds),
                                      scan=timedelta(seconds=settings.scan_interval_seconds),
                                      send=timedelta(seconds=settings.send_interval_seconds),
                                      send_lease=timedelta(seconds=settings.send_lease_seconds))


async def run_health(settings: Settings, out: TextIO, clock: Callable[[], datetime], *,
                     host: str | None = None) -> int:
    """Print one line saying healthy or what is wrong; return the exit status (0 healthy, 1 not)."""
    try:
        storage = await Storage.connect(settings.database_url, migrate=False)
    except StorageError as error:
        print(f"unhealthy: {error}", file=out)
        return 1
    try:
        status = await storage.latest_worker_of_host(host or socket.gethostname())
    except Exception as error:  # e.g. a database the bot has never migrated: no workers table yet
        print(f"unhealthy: cannot read the workers table: {type(error).__name__}", file=out)
        return 1
    finally:
        await storage.close()
    now = clock()
    problems = health_problems(status, now, limits_for(settings))
    if problems:
        print("unhealthy: " + "; ".join(problems), file=out)
        return 1
    assert status is not None
    print(f"healthy: {_describe(status, now)}", file=out)
    return 0


def _describe(status: WorkerStatus, now: datetime) -> str:
    parts = [f"process {status.id} (role {status.role})",
             f"heartbeat {_ago(now, status.heartbeat_at)}"]
    if status.last_scan_at:
        parts.append(f"last scan {_ago(now, status.last_scan_at)}")
    if status.last_drain_at:
        parts.append(f"last drain {_ago(now, status.last_drain_at)}")
    return ", ".join(parts)


def _ago(now: datetime, then: datetime) -> str:
    return f"{max(0.0, (now - then).total_seconds()):.0f}s ago"
