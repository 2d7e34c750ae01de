"""Figures of bot/core/metrics.py that are read rather than counted where they happen.

A drain's outcomes come from the DrainReport the send job already gets (the scan service counts its own
feed checks as each finishes, since slow ones finish after the tick returns). The outbox's depth, the age
of its oldest due row and publish-to-alert latencies come from the database, sampled at each heartbeat by
OutboxSampler (database-wide figures: with several workers, read them from any one process).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.core.metrics import (
    ALERT_LATENCY,
    ALERTS_FAILED,
    ALERTS_SENT,
    OUTBOX_DEPTH,
    OUTBOX_OLDEST_DUE_AGE,
    TELEGRAM_429,
    OutboxFigures,
)
from bot.services.delivery_outcomes import DrainReport
from bot.services.ports import Metrics

log = logging.getLogger(__name__)


def record_drain(metrics: Metrics, report: DrainReport) -> None:
    """One outbox drain."""
    metrics.count(ALERTS_SENT, report.sent)
    metrics.count(ALERTS_FAILED, report.failed, reason="failed")
    metrics.count(ALERTS_FAILED, report.cancelled, reason="cancelled")
    metrics.count(TELEGRAM_429, report.flood_waits)


class OutboxReader(Protocol):
    """The outbox figures one query can give (bot.adapters.storage.outbox_store)."""

    async def outbox_figures(self, now: datetime, sent_since: datetime) -> OutboxFigures: ...


class OutboxSampler:
    """Reads the outbox's figures at each call and reports them; latencies of alerts sent since the last call."""

    def __init__(self, store: OutboxReader, metrics: Metrics, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.metrics = metrics
        self.clock = clock
        self._since = clock()

    async def sample(self) -> None:
        """Report depth, oldest due age and new latencies; a failure is logged and tried again next time."""
        now = self.clock()
        try:
            figures = await self.store.outbox_figures(now, self._since)
        except Exception as error:
            log.warning("could not sample the outbox for metrics: %s", error)
            return
        self._since = now
        self.metrics.gauge(OUTBOX_DEPTH, figures.depth)
        age = 0.0 if figures.oldest_due_at is None else max(0.0, (now - figures.oldest_due_at).total_seconds())
        self.metrics.gauge(OUTBOX_OLDEST_DUE_AGE, age)
        for latency in figures.latencies:
            self.metrics.observe(ALERT_LATENCY, latency)
