"""The translator chain: providers tried in the configured order, the first that answers wins.

`TRANSLATOR=libre,google,mymemory` gives three providers. Each has a circuit breaker
(bot/core/translation/breaker.py): a provider that keeps failing, or answers 429, is skipped for a
cool-down that grows while it stays broken, so a dead provider costs one deadline per cool-down rather
than one per alert. Each call gets `per_call_timeout` seconds. Every attempt is counted by provider and
result (ok, failed, rate_limited, skipped).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.metrics import TRANSLATOR_CALLS, NoMetrics
from bot.core.translation.breaker import CLOSED, BreakerPolicy, BreakerState, after_failure, after_success
from bot.errors import TranslationError
from bot.services.ports import MachineTranslator, Metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Translated:
    """A translation and the provider that made it."""

    text: str
    provider: str


class TranslatorChain:
    """Try each provider whose breaker allows it; raise TranslationError when none translated."""

    def __init__(self, providers: Sequence[MachineTranslator], *, per_call_timeout: float = 10.0,
                 policy: BreakerPolicy | None = None, monotonic: Callable[[], float] = time.monotonic,
                 metrics: Metrics | None = None) -> None:
        self.providers = tuple(providers)
        self.per_call_timeout = per_call_timeout
        self.policy = policy or BreakerPolicy()
        self.monotonic = monotonic
        self.metrics = metrics or NoMetrics()
        self._breakers: dict[str, BreakerState] = {p.name: CLOSED for p in self.providers}

    @property
    def names(self) -> tuple[str, ...]:
        """The providers in the order they are tried."""
        return tuple(p.name for p in self.providers)

    def breaker(self, provider: str) -> BreakerState:
        """The breaker state of `provider` (for tests, logs and `python -m bot check`)."""
        return self._breakers[provider]

    async def translate(self, text: str, source: str, target: str) -> Translated:
        """The first provider's translation; TranslationError naming every provider's failure otherwise."""
        failures: list[str] = []
        for provider in self.providers:
            if not self._breakers[provider.name].allows(self.monotonic()):
                self.metrics.count(TRANSLATOR_CALLS, provider=provider.name, result="skipped")
                failures.append(f"{provider.name}: skipped (circuit open)")
                continue
            try:
                async with asyncio.timeout(self.per_call_timeout):
                    translated = (await provider.translate(text, source, target) or "").strip()
                if not translated:
                    raise TranslationError(f"{provider.name}: empty translation")
            except (TranslationError, TimeoutError) as error:
                self._failed(provider.name, error)
                failures.append(str(error) or f"{provider.name}: timed out")
                continue
            self._breakers[provider.name] = after_success(self._breakers[provider.name])
            self.metrics.count(TRANSLATOR_CALLS, provider=provider.name, result="ok")
            return Translated(translated, provider.name)
        raise TranslationError("; ".join(failures) or "no translator configured")

    def _failed(self, name: str, error: Exception) -> None:
        rate_limited = isinstance(error, TranslationError) and error.rate_limited
        before = self._breakers[name]
        after = after_failure(before, self.monotonic(), self.policy, rate_limited=rate_limited)
        self._breakers[name] = after
        self.metrics.count(TRANSLATOR_CALLS, provider=name, result="rate_limited" if rate_limited else "failed")
        if after.open_until is not None and after.trips > before.trips:
            log.warning("translator %s skipped for %.0fs after: %s", name, after.open_until - self.monotonic(),
                        error or "timeout")
