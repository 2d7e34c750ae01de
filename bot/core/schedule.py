"""Scheduling decisions as pure functions: when a feed is next due, and how failures back off."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=1)


def next_check_after_success(now: datetime, interval: timedelta, jitter: float = 0.0) -> datetime:
    """A healthy feed is checked again one interval later; `jitter` in [0, 1) spreads up to 10%."""
    result: datetime = now + interval + interval * 0.1 * jitter
    return result


def failure_backoff(failures: int, interval: timedelta, jitter: float = 0.0,
                    cap: timedelta = MAX_BACKOFF) -> timedelta:
    """Exponential backoff after `failures` consecutive failures, capped so no feed is parked forever."""
    exponent = min(max(failures - 1, 0), 20)
    delay: timedelta = min(interval * (2**exponent), max(cap, interval))
    return delay + delay * 0.1 * jitter


def retry_delay(attempts: int, base: timedelta = timedelta(seconds=2),
                cap: timedelta = timedelta(minutes=10)) -> timedelta:
    """Backoff for a delivery that failed `attempts` times with a temporary error."""
    delay: timedelta = min(base * (2 ** min(max(attempts - 1, 0), 20)), cap)
    return delay


def is_too_old(published_at: datetime | None, now: datetime, max_age: timedelta) -> bool:
    """Entries published longer ago than `max_age` are stored but not alerted; undated ones are fresh."""
    return published_at is not None and now - published_at > max_age
