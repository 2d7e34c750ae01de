"""Recording how a feed check went: the next check, the publishing rate, the failure run, admin notices.

The decisions are bot.core.feeds.schedule's and the texts bot.core.feeds.feed_health's; this module applies them
to a feed as it was claimed (`Feed`), writes the outcome through the FeedRecords port, and sends the
notices (one when a feed has been failing for `alert_after`, one when it recovers) through the
AdminAlerts port. The notice state lives in the database, so a restart repeats nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.feeds.feed_health import failure_notice, recovery_notice
from bot.core.feeds.schedule import PublishingRate, SchedulePolicy, failure_alert_due, server_floor
from bot.core.models import Feed
from bot.services.ports import AdminAlerts, FeedRecords

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedHealthOptions:
    """How failing feeds are reported: after `alert_after` of failures, one notice through `notifier`."""

    notifier: AdminAlerts | None = None
    alert_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Success:
    """What a successful check writes besides its entries."""

    now: datetime
    next_check_at: datetime
    rate: PublishingRate


class FeedHealth:
    """Schedules, records and reports the outcome of each feed check."""

    def __init__(self, store: FeedRecords, policy: SchedulePolicy, clock: Callable[[], datetime],
                 rng: random.Random, options: FeedHealthOptions) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.rng = rng
        self.options = options

    def success(self, feed: Feed, started: datetime, *, new_entries: int, max_age: float | None,
                ttl: float | None) -> Success:
        """The schedule and publishing rate after a successful check of `feed` that began at `started`."""
        now = self.clock()
        rate = PublishingRate(feed.entries_per_day, feed.observed_seconds)
        if feed.last_success_at is not None:  # a first success (the feed's backlog) teaches nothing
            rate = rate.observe(new_entries, now - feed.last_success_at)
        next_check = self.policy.after_success(started, rate, found_new=new_entries > 0, jitter=self.rng.random(),
                                               server_floor=server_floor(max_age, ttl))
        return Success(now, next_check, rate)

    async def not_modified(self, feed: Feed, started: datetime, max_age: float | None) -> None:
        """Record a 304 (the stored RSS ttl still counts) and tell admins if the feed recovered."""
        success = self.success(feed, started, new_entries=0, max_age=max_age, ttl=feed.ttl_seconds)
        await self.store.record_not_modified(feed.id, success.now, success.next_check_at, rate=success.rate)
        await self.recovered(feed, success.now)

    async def recovered(self, feed: Feed, now: datetime) -> None:
        """After a success has been stored: one notice if admins were told this feed was failing."""
        if feed.error_count:
            log.info("feed %s works again after %d failed checks", feed.name, feed.error_count)
        if feed.failure_notified:
            await self.tell_admins(recovery_notice(feed, now))

    async def failed(self, feed: Feed, started: datetime, error: str, retry_after: float | None) -> None:
        """Record a failed check with its backoff; one notice once the failure run is old enough."""
        failures = feed.error_count + 1
        log.warning("feed %s failed (%d in a row): %s", feed.name, failures, error)
        now = self.clock()
        wait = None if retry_after is None else timedelta(seconds=retry_after)
        next_check = self.policy.after_failure(started, failures, jitter=self.rng.random(), retry_after=wait)
        failing = dataclasses.replace(feed, failing_since=feed.failing_since or now)
        notify = self.options.notifier is not None and failure_alert_due(
            failing.failing_since, feed.failure_notified, now, self.options.alert_after)
        await self.store.record_fetch_failure(feed.id, error[:500], now, next_check, notified=notify)
        if notify:
            await self.tell_admins(failure_notice(failing, now, error, failures, next_check))

    async def tell_admins(self, text: str) -> None:
        """Best effort: a notifier that fails is logged, never allowed to break a scan."""
        if self.options.notifier is None:
            return
        try:
            await self.options.notifier.notify_admins(text)
        except Exception:
            log.exception("could not notify the admins")
