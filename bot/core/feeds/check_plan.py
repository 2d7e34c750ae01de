"""One feed check as one value: what to store (entries, alerts, the feed's state and health) and what to
tell the admins, decided by pure functions from the fetch's outcome and the feed as it was claimed.

The shape is lemon24/reader's: the scan gathers the inputs (bot/services/scan.py), one of `plan_failure`,
`plan_not_modified` or `plan_success` decides, storage records the whole `CheckPlan` in one transaction
(`FeedRecords.record_check`), and only then does the notice, if any, go out. Time and randomness are
parameters (`now`, `jitter`), so every decision can be tested without a clock or a database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from bot.core.feeds.feed_health import failure_notice, recovery_notice
from bot.core.feeds.fetched import FetchResult
from bot.core.feeds.schedule import PublishingRate, SchedulePolicy, failure_alert_due, server_floor
from bot.core.models import Delivery, Feed, ParsedEntry
from bot.core.stories.clustering import Report

MAX_STORED_ERROR = 500
"""A failure's message is cut to this many characters before it is stored."""


class CheckOutcome(Enum):
    """How a check went, as far as the feed's row is concerned."""

    FETCHED = "fetched"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


@dataclass(frozen=True)
class FeedState:
    """What the feed's row becomes: when it is checked next and, by outcome, its validators or its failure.

    `rate` is the publishing rate after a success; `url` is set when every redirect was permanent;
    `failure_notified` records that this plan's notice tells the admins about a failure run.
    """

    outcome: CheckOutcome
    checked_at: datetime
    next_check_at: datetime
    rate: PublishingRate | None = None
    etag: str | None = None
    last_modified: str | None = None
    url: str | None = None
    ttl_seconds: float | None = None
    error: str | None = None
    failure_notified: bool = False


@dataclass(frozen=True)
class CheckPlan:
    """Everything one check of feed `feed_id` writes (in one call), and the admins' notice to send after it."""

    feed_id: int
    state: FeedState
    entries: tuple[ParsedEntry, ...] = ()
    deliveries: Mapping[str, Sequence[Delivery]] = field(default_factory=dict)
    """Alerts per entry identity, written to the outbox with their entry."""
    notice: str | None = None
    reports: Mapping[str, Report] = field(default_factory=dict)
    """Matched entries as story clustering sees them, by entry identity: they join stories as they are stored."""


@dataclass(frozen=True)
class CheckContext:
    """What every plan needs besides the outcome: the feed as claimed, when its check began and ended,
    the scheduling policy and this check's random jitter (0..1)."""

    feed: Feed
    started: datetime
    now: datetime
    policy: SchedulePolicy
    jitter: float


def plan_failure(context: CheckContext, error: str, *, retry_after: float | None = None,
                 alert_after: timedelta | None = None) -> CheckPlan:
    """A failed check: back off (at least `retry_after` seconds); with `alert_after` (None: nobody to tell),
    one notice once the failure run is that old."""
    feed, now = context.feed, context.now
    failures = feed.error_count + 1
    wait = None if retry_after is None else timedelta(seconds=retry_after)
    next_check = context.policy.after_failure(context.started, failures, jitter=context.jitter, retry_after=wait)
    failing = dataclasses.replace(feed, failing_since=feed.failing_since or now)
    notify = alert_after is not None and failure_alert_due(failing.failing_since, feed.failure_notified, now,
                                                           alert_after)
    state = FeedState(CheckOutcome.FAILED, now, next_check, error=error[:MAX_STORED_ERROR], failure_notified=notify)
    notice = failure_notice(failing, now, error, failures, next_check) if notify else None
    return CheckPlan(feed.id, state, notice=notice)


def plan_not_modified(context: CheckContext, *, max_age: float | None) -> CheckPlan:
    """A 304: nothing new; the RSS ttl stored earlier still bounds the next check."""
    rate, next_check = _after_success(context, new_entries=0, max_age=max_age, ttl=context.feed.ttl_seconds)
    state = FeedState(CheckOutcome.NOT_MODIFIED, context.now, next_check, rate=rate)
    return CheckPlan(context.feed.id, state, notice=_recovery(context))


def plan_success(context: CheckContext, result: FetchResult, *, ttl: float | None, entries: Sequence[ParsedEntry],
                 deliveries: Mapping[str, Sequence[Delivery]],
                 reports: Mapping[str, Report] | None = None) -> CheckPlan:
    """A fetched body: its new `entries` with their alerts (and story reports), the validators, the new rate
    and schedule."""
    rate, next_check = _after_success(context, new_entries=len(entries), max_age=result.max_age_seconds, ttl=ttl)
    state = FeedState(CheckOutcome.FETCHED, context.now, next_check, rate=rate, etag=result.etag,
                      last_modified=result.last_modified, ttl_seconds=ttl,
                      url=result.final_url if result.permanent_redirect else None)
    return CheckPlan(context.feed.id, state, tuple(entries), dict(deliveries), _recovery(context), dict(reports or {}))


def _after_success(context: CheckContext, *, new_entries: int, max_age: float | None,
                   ttl: float | None) -> tuple[PublishingRate, datetime]:
    """The publishing rate and the next check after a successful check."""
    feed = context.feed
    rate = PublishingRate(feed.entries_per_day, feed.observed_seconds)
    if feed.last_success_at is not None:  # a first success (the feed's backlog) teaches nothing
        rate = rate.observe(new_entries, context.now - feed.last_success_at)
    next_check = context.policy.after_success(context.started, rate, found_new=new_entries > 0,
                                              jitter=context.jitter, server_floor=server_floor(max_age, ttl))
    return rate, next_check


def _recovery(context: CheckContext) -> str | None:
    """The notice that a feed admins were told was failing works again."""
    return recovery_notice(context.feed, context.now) if context.feed.failure_notified else None
