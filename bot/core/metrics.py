"""The figures the bot reports through the Metrics port (bot/services/ports.py), and a port that drops them.

Every figure is declared once here with its kind, its labels and one line of help; the Prometheus adapter
(bot/adapters/metrics/prometheus.py) builds its collectors from this table, so nothing can report a
figure the endpoint does not serve. Pure: names and values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Kind = Literal["counter", "gauge", "histogram"]


@dataclass(frozen=True)
class MetricSpec:
    """One figure: its name (without the exporter's prefix), kind, label names and help text."""

    name: str
    kind: Kind
    labels: tuple[str, ...]
    help: str


FEEDS_CHECKED = "feeds_checked"
ENTRIES_NEW = "entries_new"
MATCHES = "matches"
ALERTS_QUEUED = "alerts_queued"
ALERTS_SENT = "alerts_sent"
ALERTS_FAILED = "alerts_failed"
TELEGRAM_429 = "telegram_429"
OUTBOX_DEPTH = "outbox_depth"
OUTBOX_OLDEST_DUE_AGE = "outbox_oldest_due_age_seconds"
ALERT_LATENCY = "publish_to_alert_seconds"
"""From an entry's publication time (as its feed states it) to Telegram accepting its alert."""
TRANSLATOR_CALLS = "translator_calls"
SCAN_CYCLE = "scan_cycle_seconds"

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(FEEDS_CHECKED, "counter", ("result",), "feed checks by result (ok, not_modified, failed)"),
    MetricSpec(ENTRIES_NEW, "counter", (), "entries seen for the first time"),
    MetricSpec(MATCHES, "counter", (), "new entries that matched at least one subscriber's keyword"),
    MetricSpec(ALERTS_QUEUED, "counter", (), "alerts written to the outbox"),
    MetricSpec(ALERTS_SENT, "counter", (), "alerts Telegram accepted"),
    MetricSpec(ALERTS_FAILED, "counter", ("reason",),
               "alerts not delivered, by reason (failed: refused or given up; cancelled: chat gone or muted)"),
    MetricSpec(TELEGRAM_429, "counter", (), "429 (flood control) answers from Telegram"),
    MetricSpec(OUTBOX_DEPTH, "gauge", (), "alerts waiting in the outbox"),
    MetricSpec(OUTBOX_OLDEST_DUE_AGE, "gauge", (), "seconds the oldest due alert has been waiting"),
    MetricSpec(ALERT_LATENCY, "histogram", (), "seconds from an entry's publication to Telegram accepting its alert"),
    MetricSpec(TRANSLATOR_CALLS, "counter", ("provider", "result"),
               "translator calls by provider and result (ok, failed, rate_limited, skipped)"),
    MetricSpec(SCAN_CYCLE, "histogram", (), "seconds one scan tick took"),
)


class NoMetrics:
    """The Metrics port when METRICS_PORT is unset: every figure is dropped."""

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Drop a counter increment."""

    def observe(self, name: str, value: float, **labels: str) -> None:
        """Drop a histogram observation."""

    def gauge(self, name: str, value: float, **labels: str) -> None:
        """Drop a gauge value."""

LATENCY_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 4 * 3600.0, 24 * 3600.0)
"""Seconds from publication to alert: feeds are polled every few minutes, some publish hours late."""
CYCLE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 150.0, 300.0)
"""Seconds one scan tick takes (it waits at most half a scan interval)."""
BUCKETS = {ALERT_LATENCY: LATENCY_BUCKETS, SCAN_CYCLE: CYCLE_BUCKETS}


@dataclass(frozen=True)
class OutboxFigures:
    """The outbox as one query sees it: rows waiting, the oldest due one, and the alerts sent since last asked."""

    depth: int
    oldest_due_at: datetime | None
    latencies: tuple[float, ...]
    """Seconds from publication to sending, for each alert sent since the previous sample."""
