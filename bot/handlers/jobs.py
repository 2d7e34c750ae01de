"""The JobQueue jobs: scan tick, sender tick and heartbeat. Each only claims what storage says is due.

APScheduler (through PTB's JobQueue) only ticks inside this process; which feeds and which chats a tick
works on is decided in the database (leases, fair shares), so any number of processes can tick at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext

from telegram.ext import ContextTypes

from bot.core.metrics import SCAN_CYCLE, NoMetrics
from bot.services.delivery import DeliveryService
from bot.services.figures import OutboxSampler, record_drain
from bot.services.ports import Metrics
from bot.services.scan import ScanService
from bot.services.workers import WorkerPresence

log = logging.getLogger(__name__)


class Jobs:
    """Callbacks for JobQueue.run_repeating."""

    def __init__(self, scan: ScanService, delivery: DeliveryService, presence: WorkerPresence | None = None, *,
                 metrics: Metrics | None = None, sampler: OutboxSampler | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """`metrics` receives what each tick did; `sampler` reads the outbox's figures at each heartbeat."""
        self.scan = scan
        self.delivery = delivery
        self.presence = presence
        self.metrics = metrics or NoMetrics()
        self.sampler = sampler
        self.monotonic = monotonic

    async def scan_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Check the feeds that are due."""
        started = self.monotonic()
        try:
            report = await self.scan.run_cycle()
        except Exception:
            log.exception("scan cycle failed; it will run again at the next tick")
            return
        self.metrics.observe(SCAN_CYCLE, self.monotonic() - started)
        if self.presence is not None:
            self.presence.counters.feeds_checked += report.feeds
            self.presence.scan_finished()
        if report.alerts:
            await self.send_tick(context)

    async def send_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send what the outbox holds, drain after drain, until nothing is due or Telegram says wait long."""
        try:
            async with self._holding_leases():
                while True:
                    report = await self.delivery.drain()
                    record_drain(self.metrics, report)
                    if self.presence is not None:
                        self.presence.counters.alerts_sent += report.sent
                        self.presence.counters.messages_sent += report.messages
                    if report.claimed == 0 or report.halted:
                        break
            if self.presence is not None:
                self.presence.drain_finished()
        except Exception:
            log.exception("sending failed; the outbox keeps the messages for the next tick")

    async def heartbeat_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Tell the other processes this one is alive, and take this process's share of the send rate."""
        if self.sampler is not None:
            await self.sampler.sample()
        if self.presence is None:
            return
        try:
            await self.presence.beat()
        except Exception:
            log.exception("heartbeat failed; the next one tries again")

    def _holding_leases(self) -> AbstractAsyncContextManager[None]:
        return nullcontext() if self.presence is None else self.presence.holding_leases()
