"""Recording a feed check: plan it (bot.core.feeds.check_plan), write the plan in one call, tell the admins.

The decisions (the next check, the publishing rate, the failure run, whether admins hear of it) are pure and
live in bot.core.feeds.check_plan, the texts in bot.core.feeds.feed_health; this module gives them the
clock and the jitter, writes each plan through the FeedRecords port (`record_check`, one transaction), and
only then sends its notice through the AdminAlerts port. The notice state lives in the database, so a
restart repeats nothing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.delivery.alert_cap import AlertCap
from bot.core.feeds.check_plan import (
    CheckContext,
    CheckOutcome,
    CheckPlan,
    plan_failure,
    plan_not_modified,
    plan_success,
)
from bot.core.feeds.fetched import FetchResult
from bot.core.feeds.schedule import SchedulePolicy
from bot.core.models import Delivery, Feed, ParsedEntry
from bot.core.stories.clustering import Report
from bot.core.stories.policy import StoryClustering
from bot.services.ports import AdminAlerts, FeedRecords

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedHealthOptions:
    """How failing feeds are reported: after `alert_after` of failures, one notice through `notifier`."""

    notifier: AdminAlerts | None = None
    alert_after: timedelta = timedelta(hours=1)


class FeedHealth:
    """Plans, records and reports the outcome of each feed check."""

    def __init__(self, store: FeedRecords, policy: SchedulePolicy, clock: Callable[[], datetime],
                 rng: random.Random, options: FeedHealthOptions) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.rng = rng
        self.options = options

    def failure(self, feed: Feed, started: datetime, error: str, retry_after: float | None) -> CheckPlan:
        """The plan of a failed check: a backoff, and a notice once the failure run is old enough."""
        log.warning("feed %s failed (%d in a row): %s", feed.name, feed.error_count + 1, error)
        alert_after = self.options.alert_after if self.options.notifier is not None else None
        return plan_failure(self._context(feed, started), error, retry_after=retry_after, alert_after=alert_after)

    def not_modified(self, feed: Feed, started: datetime, max_age: float | None) -> CheckPlan:
        """The plan of a 304."""
        return plan_not_modified(self._context(feed, started), max_age=max_age)

    def success(self, feed: Feed, started: datetime, result: FetchResult, *, ttl: float | None,
                entries: Sequence[ParsedEntry], deliveries: Mapping[str, Sequence[Delivery]],
                reports: Mapping[str, Report] | None = None) -> CheckPlan:
        """The plan of a fetched body with its new entries, their alerts and their story reports."""
        return plan_success(self._context(feed, started), result, ttl=ttl, entries=entries, deliveries=deliveries,
                            reports=reports)

    async def record(self, feed: Feed, plan: CheckPlan, clustering: StoryClustering | None = None,
                     cap: AlertCap | None = None) -> int:
        """Write `plan` in one call (its reports joining stories through `clustering`, its alerts within the
        cycle's per-chat `cap`), then send its notice; returns how many entries were new."""
        inserted = await self.store.record_check(plan, clustering, cap)
        if plan.state.outcome is not CheckOutcome.FAILED and feed.error_count:
            log.info("feed %s works again after %d failed checks", feed.name, feed.error_count)
        if plan.notice is not None:
            await self.tell_admins(plan.notice)
        return inserted

    async def tell_admins(self, text: str) -> None:
        """Best effort: a notifier that fails is logged, never allowed to break a scan."""
        if self.options.notifier is None:
            return
        try:
            await self.options.notifier.notify_admins(text)
        except Exception:
            log.exception("could not notify the admins")

    def _context(self, feed: Feed, started: datetime) -> CheckContext:
        return CheckContext(feed, started, self.clock(), self.policy, self.rng.random())
