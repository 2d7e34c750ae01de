"""A drain report becomes metrics; the outbox sampler reports depth, oldest due age and latencies once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
from bot.services.figures import OutboxSampler, record_drain

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


class RecordingMetrics:
    """The Metrics port, remembering every call as (kind, name, value, labels)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, float, dict[str, str]]] = []

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None:
        self.calls.append(("count", name, amount, labels))

    def observe(self, name: str, value: float, **labels: str) -> None:
        self.calls.append(("observe", name, value, labels))

    def gauge(self, name: str, value: float, **labels: str) -> None:
        self.calls.append(("gauge", name, value, labels))


def test_a_drain_report_becomes_sent_failed_by_reason_and_429s() -> None:
    metrics = RecordingMetrics()
    record_drain(metrics, DrainReport(claimed=20, sent=12, failed=2, cancelled=5, flood_waits=1))
    assert metrics.calls == [
        ("count", ALERTS_SENT, 12, {}), ("count", ALERTS_FAILED, 2, {"reason": "failed"}),
        ("count", ALERTS_FAILED, 5, {"reason": "cancelled"}), ("count", TELEGRAM_429, 1, {}),
    ]


class FakeOutbox:
    """Answers `outbox_figures` from a list and records the windows asked for."""

    def __init__(self, answers: list[OutboxFigures | Exception]) -> None:
        self.answers = answers
        self.asked: list[tuple[datetime, datetime]] = []

    async def outbox_figures(self, now: datetime, sent_since: datetime) -> OutboxFigures:
        self.asked.append((now, sent_since))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_the_sampler_reports_each_window_once_and_survives_a_failed_read() -> None:
    times = iter([NOW, NOW + timedelta(seconds=10), NOW + timedelta(seconds=20), NOW + timedelta(seconds=30)])
    outbox = FakeOutbox([OutboxFigures(4, NOW - timedelta(seconds=5), (30.0, 90.0)), RuntimeError("db down"),
                         OutboxFigures(0, None, ())])
    metrics = RecordingMetrics()
    sampler = OutboxSampler(outbox, metrics, lambda: next(times))

    await sampler.sample()
    await sampler.sample()  # the read fails: nothing reported, the window is kept
    await sampler.sample()

    at = [NOW + timedelta(seconds=s) for s in (0, 10, 20, 30)]
    assert outbox.asked == [(at[1], at[0]), (at[2], at[1]), (at[3], at[1])]
    assert metrics.calls == [
        ("gauge", OUTBOX_DEPTH, 4, {}), ("gauge", OUTBOX_OLDEST_DUE_AGE, 15.0, {}),
        ("observe", ALERT_LATENCY, 30.0, {}), ("observe", ALERT_LATENCY, 90.0, {}),
        ("gauge", OUTBOX_DEPTH, 0, {}), ("gauge", OUTBOX_OLDEST_DUE_AGE, 0.0, {}),
    ]
