"""This process among the others sharing the database: heartbeats, its share of the send rate, leases.

Telegram's limit of about 30 messages a second is per bot, so N sending processes must split it: every
heartbeat records this process (role and running totals) and learns how many senders are live, and the
pacer's overall rate becomes SEND_RATE_PER_SECOND divided by that number. While a drain runs, the
outbox leases this process holds are renewed every third of the lease, so a long drain (a slow share
of the rate, flood waits) never loses its chats to another worker. A process that dies stops renewing;
every heartbeat (the first one before this process claims anything) looks for dead processes (a
previous run of this one, or any worker silent for three heartbeat intervals: bot/core/delivery/recovery.py)
and takes back at once what they held, so their alerts and feeds do not wait for the leases to run out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.delivery.pacing import Pacer
from bot.core.delivery.recovery import ProcessIdentity, Survivor, TakenOver, dead_workers
from bot.core.process_roles import ROLES
from bot.services.ports import WorkerRegistry

log = logging.getLogger(__name__)

LIVE_HEARTBEATS = 3
"""A process is live while its last heartbeat is younger than this many heartbeat intervals."""
ON_TIME_HEARTBEATS = 1.5
"""This process judges others by their silence only when its own previous look came at most this many
intervals ago (else it is late itself: the machine or the database is stalling everyone)."""


@dataclass
class WorkCounters:
    """What this process did since it started (written to its `workers` row at each heartbeat)."""

    feeds_checked: int = 0
    alerts_sent: int = 0
    messages_sent: int = 0
    last_scan_at: datetime | None = None
    """When a scan tick last finished (read by `python -m bot health`)."""
    last_drain_at: datetime | None = None
    """When a send tick last finished draining the outbox."""


@dataclass(frozen=True)
class ProcessProbe:
    """This process's identity on its host, and how to ask whether another pid there still runs."""

    me: ProcessIdentity
    is_running: Callable[[int], bool]


class WorkerPresence:
    """Heartbeats, the pacer's share of the overall rate, taking over dead processes, and lease renewal."""

    def __init__(self, registry: WorkerRegistry, role: str, clock: Callable[[], datetime], *,
                 heartbeat: timedelta, overall_rate: float, send_lease: timedelta, pacer: Pacer | None = None,
                 probe: ProcessProbe | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """Without a `probe`, only processes silent for three heartbeats are found dead."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        self.registry = registry
        self.role = role
        self.clock = clock
        self.heartbeat_interval = heartbeat
        self.overall_rate = overall_rate
        self.send_lease = send_lease
        self.pacer = pacer
        self.sleep = sleep
        self.probe = probe
        self.counters = WorkCounters()
        self._last_beat: datetime | None = None
        self.live_senders = 1

    async def beat(self) -> int:
        """Take over dead processes; record this one as alive; set the pacer to its share of the rate;
        returns the live senders (counted after the dead ones were marked stopped)."""
        await self.take_over_the_dead()
        c = self.counters
        live = await self.registry.heartbeat(self.role, self.clock(), self.heartbeat_interval * LIVE_HEARTBEATS,
                                             feeds_checked=c.feeds_checked, alerts_sent=c.alerts_sent,
                                             messages_sent=c.messages_sent, last_scan_at=c.last_scan_at,
                                             last_drain_at=c.last_drain_at)
        if live != self.live_senders:
            log.info("%d sending processes share the bot: sending at %.3g messages/s", live,
                     self.overall_rate / live)
        self.live_senders = live
        if self.pacer is not None:
            self.pacer.set_overall_rate(self.overall_rate / live)
        return live

    async def take_over_the_dead(self) -> TakenOver:
        """Release at once the outbox rows and feeds held by processes found dead."""
        now, previous = self.clock(), self._last_beat
        self._last_beat = now
        on_time = previous is None or now - previous <= self.heartbeat_interval * ON_TIME_HEARTBEATS
        me = self.probe.me if self.probe else ProcessIdentity("", -1)
        survivor = Survivor(me, self.role, self.heartbeat_interval * LIVE_HEARTBEATS if on_time else None)
        is_running = self.probe.is_running if self.probe else _assume_running
        dead = dead_workers(await self.registry.running_workers(), survivor, now, is_running)
        if not dead:
            return TakenOver()
        taken = await self.registry.take_over(dead, now)
        log.info("took over from %d stopped process(es) %s: %d pending alerts and %d feeds are free again",
                 len(dead), ", ".join(dead), taken.outbox_rows, taken.feeds)
        return taken

    async def retire(self) -> None:
        """This process stops: the others take over its share at their next heartbeat."""
        c = self.counters
        await self.registry.retire(self.clock(), feeds_checked=c.feeds_checked, alerts_sent=c.alerts_sent,
                                   messages_sent=c.messages_sent)

    def scan_finished(self) -> None:
        """A scan tick finished (recorded at the next heartbeat)."""
        self.counters.last_scan_at = self.clock()

    def drain_finished(self) -> None:
        """A send tick drained what was due (recorded at the next heartbeat)."""
        self.counters.last_drain_at = self.clock()

    @asynccontextmanager
    async def holding_leases(self) -> AsyncIterator[None]:
        """While the body runs (a drain), renew this process's outbox leases every third of the lease."""
        renewer = asyncio.create_task(self._renew_forever())
        try:
            yield
        finally:
            renewer.cancel()
            with suppress(asyncio.CancelledError):
                await renewer

    async def _renew_forever(self) -> None:
        period = self.send_lease.total_seconds() / 3
        while True:
            await self.sleep(period)
            try:
                await self.registry.renew_outbox_leases(self.clock(), self.send_lease)
            except Exception:  # the next period tries again; at worst the lease runs out and others send
                log.exception("could not renew outbox leases")


def _assume_running(pid: int) -> bool:
    return True
