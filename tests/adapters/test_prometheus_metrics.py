"""The Prometheus adapter: one collector per figure of bot/core/metrics.py, in a registry of its own, served."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from prometheus_client import REGISTRY, generate_latest

from bot.adapters.metrics.prometheus import PREFIX, PrometheusMetrics
from bot.core.metrics import ALERT_LATENCY, FEEDS_CHECKED, METRICS, OUTBOX_DEPTH, TRANSLATOR_CALLS


def exposition(metrics: PrometheusMetrics) -> str:
    return generate_latest(metrics.registry).decode()


def test_figures_land_in_their_collectors() -> None:
    metrics = PrometheusMetrics()
    metrics.count(FEEDS_CHECKED, 3, result="ok")
    metrics.count(TRANSLATOR_CALLS, provider="libre", result="rate_limited")
    metrics.gauge(OUTBOX_DEPTH, 17)
    metrics.observe(ALERT_LATENCY, 42.0)
    text = exposition(metrics)
    assert f'{PREFIX}feeds_checked_total{{result="ok"}} 3.0' in text
    assert f'{PREFIX}translator_calls_total{{provider="libre",result="rate_limited"}} 1.0' in text
    assert f"{PREFIX}outbox_depth 17.0" in text
    assert f'{PREFIX}publish_to_alert_seconds_bucket{{le="60.0"}} 1.0' in text


def test_every_figure_is_declared_and_the_global_registry_is_untouched() -> None:
    text = exposition(PrometheusMetrics())
    for spec in METRICS:
        assert f"# HELP {PREFIX}{spec.name}" in text
    assert PrometheusMetrics().registry is not REGISTRY  # two instances do not collide
    assert not any(name.startswith(PREFIX) for name in REGISTRY._names_to_collectors)


def test_misuse_is_an_error_not_a_silent_drop() -> None:
    metrics = PrometheusMetrics()
    with pytest.raises(KeyError):
        metrics.count("not_declared")
    with pytest.raises(TypeError):
        metrics.count(OUTBOX_DEPTH)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_metrics_and_stops() -> None:
    metrics = PrometheusMetrics()
    metrics.count(FEEDS_CHECKED, result="failed")
    port = free_port()
    stop = metrics.serve(port, "127.0.0.1")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            body = response.read().decode()
    finally:
        stop()
    assert f'{PREFIX}feeds_checked_total{{result="failed"}} 1.0' in body
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)
