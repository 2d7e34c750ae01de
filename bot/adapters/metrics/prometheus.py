"""The Metrics port on prometheus-client, served at http://<METRICS_PORT>/metrics.

The collectors live in a registry owned by this object (never prometheus-client's global default
registry), built from the table in bot/core/metrics.py with the prefix `idlib_bot_`; counters get
prometheus-client's `_total` suffix. The HTTP server runs in a daemon thread started by `serve`.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from bot.core.metrics import BUCKETS, METRICS, MetricSpec

PREFIX = "idlib_bot_"

Collector = Counter | Gauge | Histogram


class PrometheusMetrics:
    """Counters, gauges and histograms for every figure of METRICS, in a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self._collectors: dict[str, Collector] = {spec.name: self._build(spec) for spec in METRICS}

    def _build(self, spec: MetricSpec) -> Collector:
        name = PREFIX + spec.name
        if spec.kind == "counter":
            return Counter(name, spec.help, spec.labels, registry=self.registry)
        if spec.kind == "gauge":
            return Gauge(name, spec.help, spec.labels, registry=self.registry)
        return Histogram(name, spec.help, spec.labels, registry=self.registry,
                         buckets=BUCKETS.get(spec.name, Histogram.DEFAULT_BUCKETS))

    def _child(self, name: str, kind: type[Collector], labels: dict[str, str]) -> Collector:
        collector = self._collectors[name]  # KeyError: a figure missing from bot/core/metrics.py
        if not isinstance(collector, kind):
            raise TypeError(f"{name} is not a {kind.__name__.lower()}")
        return collector.labels(**labels) if labels else collector

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Add `amount` to a counter."""
        child = self._child(name, Counter, labels)
        assert isinstance(child, Counter)
        child.inc(amount)

    def observe(self, name: str, value: float, **labels: str) -> None:
        """Record one observation in a histogram."""
        child = self._child(name, Histogram, labels)
        assert isinstance(child, Histogram)
        child.observe(value)

    def gauge(self, name: str, value: float, **labels: str) -> None:
        """Set a gauge."""
        child = self._child(name, Gauge, labels)
        assert isinstance(child, Gauge)
        child.set(value)

    def serve(self, port: int, address: str = "0.0.0.0") -> Callable[[], None]:
        """Serve /metrics on `address:port` in a daemon thread; returns the function that stops it."""
        server, thread = start_http_server(port, address, registry=self.registry)

        def stop() -> None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

        return stop
