"""A circuit breaker per translation provider, as pure values: the chain asks it whether to try a provider.

A provider that fails `failures_to_open` times in a row, or answers 429 once, is skipped for a
cool-down. Each time it trips again without a success in between, the cool-down doubles, up to
`max_cool_down`. When the cool-down has passed, one call is let through: a success closes the breaker
(everything is forgotten), a failure opens it again at once for the next, longer cool-down.

Time is a float of seconds on a monotonic clock, passed in by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class BreakerPolicy:
    """When a provider is skipped, and for how long."""

    failures_to_open: int = 3
    first_cool_down: float = 30.0
    max_cool_down: float = 1800.0

    def cool_down(self, trips: int) -> float:
        """Seconds to skip a provider that has tripped `trips` times before without a success since."""
        return float(min(self.max_cool_down, self.first_cool_down * 2.0 ** min(trips, 32)))


@dataclass(frozen=True)
class BreakerState:
    """One provider's recent record: failures in a row, times tripped in a row, skipped until when."""

    failures: int = 0
    trips: int = 0
    open_until: float | None = None

    def allows(self, now: float) -> bool:
        """Whether the provider may be tried at `now` (closed, or its cool-down is over)."""
        return self.open_until is None or now >= self.open_until

    def is_open(self, now: float) -> bool:
        """Whether the provider is being skipped at `now`."""
        return not self.allows(now)


CLOSED = BreakerState()


def after_success(state: BreakerState) -> BreakerState:
    """A translation came back: the provider is healthy again."""
    return CLOSED


def after_failure(state: BreakerState, now: float, policy: BreakerPolicy, *, rate_limited: bool) -> BreakerState:
    """A call failed at `now`; `rate_limited` (429) opens the breaker at once."""
    failures = state.failures + 1
    half_open_trial = state.open_until is not None  # the one call let through after a cool-down
    if rate_limited or half_open_trial or failures >= policy.failures_to_open:
        return BreakerState(failures=failures, trips=state.trips + 1, open_until=now + policy.cool_down(state.trips))
    return replace(state, failures=failures)
