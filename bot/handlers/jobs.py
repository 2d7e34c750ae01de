"""The JobQueue jobs: scan tick, sender tick and heartbeat. Each only claims what storage says is due.

The sender tick also starts, at most once a minute and in the background, the edit of alerts that went
out untranslated (bot/services/late_translation.py) once a translator answers again.

APScheduler (through PTB's JobQueue) only ticks inside this process; which feeds and which chats a tick
works on is decided in the database (leases, fair shares), so any number of processes can tick at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext

from telegram.ext import ContextTypes

from bot.core.metrics import SCAN_CYCLE, NoMetrics
from bot.services.delivery import DeliveryService
from bot.services.figures import OutboxSampler, record_drain
from bot.services.late_translation import LateTranslations
from bot.services.ports import Metrics
from bot.services.scan import ScanService
from bot.services.workers import WorkerPresence

log = logging.getLogger(__name__)

LATE_TRANSLATION_SECONDS = 60.0
"""How often untranslated alerts are looked at again (an open circuit breaker makes a look free)."""


class Jobs:
    """Callbacks for JobQueue.run_repeating."""

    def __init__(self, scan: ScanService, delivery: DeliveryService, presence: WorkerPresence | None = None, *,
                 metrics: Metrics | None = None, sampler: OutboxSampler | None = None,
                 late: LateTranslations | None = None, late_every: float = LATE_TRANSLATION_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """`metrics` receives what each tick did; `sampler` reads the outbox's figures at each heartbeat;
        `late` adds missing translations to sent alerts, started by a send tick at most every `late_every` s."""
        self.scan = scan
        self.delivery = delivery
        self.presence = presence
        self.metrics = metrics or NoMetrics()
        self.sampler = sampler
        self.late = late
        self.late_every = late_every
        self.monotonic = monotonic
        self._late_task: asyncio.Task[None] | None = None
        self._late_started: float | None = None

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
        self._start_late_translations()

    def _start_late_translations(self) -> None:
        """Start adding late translations in the background (translators may take their deadlines; the
        sends must not wait for them), unless a run is still going or the last one was too recent."""
        if self.late is None or (self._late_task is not None and not self._late_task.done()):
            return
        now = self.monotonic()
        if self._late_started is not None and now < self._late_started + self.late_every:
            return
        self._late_started = now
        self._late_task = asyncio.create_task(self._late_translations(self.late))

    async def aclose(self) -> None:
        """At shutdown: cancel the feed checks and the late translations still running (nothing is lost:
        leases make the feeds due again, and an alert waiting for its translation keeps waiting)."""
        await self.scan.aclose()
        if self._late_task is not None and not self._late_task.done():
            self._late_task.cancel()
            await asyncio.gather(self._late_task, return_exceptions=True)

    async def _late_translations(self, late: LateTranslations) -> None:
        try:
            await late.run()
        except Exception:
            log.exception("adding late translations failed; the next run tries again")

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
