"""Scheduling decisions as pure functions: when a feed is checked next, and how failures back off.

Nothing here reads a clock or draws random numbers: `now` and `jitter` (a number in [0, 1)) are passed in.

A healthy feed's interval adapts to how often it publishes (`PublishingRate`, stored per feed): a feed
that publishes often, or has just published, or has not been watched long enough to tell, is checked
every scan interval; a quiet one less often, never more than `max_interval` apart. The server's wishes
(Retry-After, Cache-Control max-age, RSS <ttl>) are lower bounds, themselves capped by `max_interval`, so
a news feed is never left unchecked longer than that. Jitter only ever shortens an interval (never
below the scan interval or a server's lower bound), so no cap is exceeded and quiet feeds spread over
the ticks instead of coming due in waves. A failing feed backs off exponentially from the scan interval
to `max_backoff` (never parked forever), with jitter, and honours Retry-After up to the same cap.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest
from typing import TypeVar, cast

T = TypeVar("T")
_GAP = object()

DAY_SECONDS = 86_400.0
RATE_HALF_LIFE = timedelta(days=3)
"""Publishing observed this long ago counts half as much as publishing seen now."""
MIN_OBSERVED = timedelta(hours=12)
"""A feed watched for less (decayed) time than this is treated as busy: there is no evidence yet."""
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class PublishingRate:
    """How often a feed publishes: an exponentially decayed count of new entries over decayed watched time.

    Stored per feed as `entries_per_day` and `observed_seconds` (the decayed time watched); every
    successful check (a 304 included) adds its new entries and the time since the previous success.
    """

    entries_per_day: float = 0.0
    observed_seconds: float = 0.0

    def observe(self, new_entries: int, elapsed: timedelta, half_life: timedelta = RATE_HALF_LIFE) -> PublishingRate:
        """The rate after a check that found `new_entries` entries `elapsed` after the previous success."""
        seconds = max(elapsed.total_seconds(), 0.0)
        decay = 0.5 ** (seconds / half_life.total_seconds())
        entries = self.entries_per_day * self.observed_seconds / DAY_SECONDS * decay + max(new_entries, 0)
        observed = self.observed_seconds * decay + seconds
        if observed <= 0:
            return self
        return PublishingRate(entries * DAY_SECONDS / observed, observed)

    @property
    def established(self) -> bool:
        """Whether the feed has been watched long enough for the rate to mean something."""
        return self.observed_seconds >= MIN_OBSERVED.total_seconds()


@dataclass(frozen=True)
class SchedulePolicy:
    """The bounds every scheduling decision respects.

    `checks_per_gap`: how many checks fit in a quiet feed's average gap between entries (6 at the defaults
    keeps feeds with 48 or more entries a day at the scan interval). `spread`: the largest share of an
    interval that jitter removes after a success; `failure_spread` the same for backoff delays.
    `tick_tolerance`: a tick also claims feeds due within this share of a scan interval, so that a
    feed due exactly one interval after the previous tick is not left for the tick after next when
    the timer fires a few milliseconds early.
    """

    scan_interval: timedelta
    max_interval: timedelta = timedelta(minutes=30)
    max_backoff: timedelta = MAX_BACKOFF
    checks_per_gap: float = 6.0
    spread: float = 0.2
    failure_spread: float = 0.5
    tick_tolerance: float = 0.1

    def __post_init__(self) -> None:
        if self.scan_interval <= timedelta(0):
            raise ValueError("the scan interval must be positive")
        object.__setattr__(self, "max_interval", max(self.max_interval, self.scan_interval))
        object.__setattr__(self, "max_backoff", max(self.max_backoff, self.max_interval))

    def due_by(self, now: datetime) -> datetime:
        """The latest due time a scan tick at `now` claims."""
        return now + self.scan_interval * self.tick_tolerance

    def interval(self, rate: PublishingRate, *, found_new: bool = False) -> timedelta:
        """The un-jittered interval for a healthy feed, between the scan interval and `max_interval`."""
        if found_new or not rate.established:
            return self.scan_interval
        if rate.entries_per_day <= 0:
            return self.max_interval
        gap = timedelta(seconds=DAY_SECONDS / rate.entries_per_day)
        return _clamp(gap / self.checks_per_gap, self.scan_interval, self.max_interval)

    def after_success(self, now: datetime, rate: PublishingRate, *, found_new: bool = False, jitter: float = 0.0,
                      server_floor: timedelta | None = None) -> datetime:
        """When to check a feed again after a successful check at `now`.

        `server_floor` is the longest of Retry-After, Cache-Control max-age and the RSS ttl, if any.
        """
        interval = self.interval(rate, found_new=found_new)
        delay = max(self.scan_interval, interval * (1 - self.spread * _unit(jitter)))
        if server_floor is not None:
            delay = max(delay, min(server_floor, self.max_interval))
        return now + delay

    def backoff(self, failures: int, *, jitter: float = 0.0, retry_after: timedelta | None = None) -> timedelta:
        """The delay after `failures` consecutive failures: doubling from the scan interval up to the cap."""
        exponent = min(max(failures - 1, 0), 30)
        delay = min(self.scan_interval * (1 << exponent), self.max_backoff)
        delay = max(self.scan_interval, delay * (1 - self.failure_spread * _unit(jitter)))
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff))
        return delay

    def after_failure(self, now: datetime, failures: int, *, jitter: float = 0.0,
                      retry_after: timedelta | None = None) -> datetime:
        """When to try a failing feed again (`failures` counts this failure)."""
        return now + self.backoff(failures, jitter=jitter, retry_after=retry_after)


def server_floor(*seconds: float | None) -> timedelta | None:
    """The longest of the server's lower bounds given in seconds (None, zero and negatives ignored)."""
    valid = [value for value in seconds if value is not None and value > 0]
    return timedelta(seconds=max(valid)) if valid else None


def failure_alert_due(failing_since: datetime | None, notified: bool, now: datetime, alert_after: timedelta) -> bool:
    """Whether admins should now hear, once, that a feed failing since `failing_since` is failing."""
    return not notified and failing_since is not None and now - failing_since >= alert_after


def retry_delay(attempts: int, base: timedelta = timedelta(seconds=2),
                cap: timedelta = timedelta(minutes=10)) -> timedelta:
    """Backoff for a delivery that failed `attempts` times with a temporary error."""
    delay: timedelta = min(base * (2 ** min(max(attempts - 1, 0), 20)), cap)
    return delay


def is_too_old(published_at: datetime | None, now: datetime, max_age: timedelta) -> bool:
    """Entries published longer ago than `max_age` are stored but not alerted; undated ones are fresh."""
    return published_at is not None and now - published_at > max_age


def interleave(items: Sequence[T], key: Callable[[T], Hashable]) -> list[T]:
    """`items` reordered round-robin over their keys (first come first within a key), so that items sharing
    a key (feeds on one host) are spread out: a per-host limit then never idles the global one."""
    groups: dict[Hashable, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    rounds = zip_longest(*groups.values(), fillvalue=_GAP)
    return [cast(T, item) for round_ in rounds for item in round_ if item is not _GAP]


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return max(low, min(value, high))


def _unit(jitter: float) -> float:
    return min(max(jitter, 0.0), 1.0)
