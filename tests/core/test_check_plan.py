"""A feed check decided as one value (bot.core.feeds.check_plan): the feed's next state, its entries and
alerts, and the admins' notice, from the fetch's outcome and the feed as claimed; no clock, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.feeds.check_plan import (
    MAX_STORED_ERROR,
    CheckContext,
    CheckOutcome,
    plan_failure,
    plan_not_modified,
    plan_success,
)
from bot.core.feeds.fetched import FetchResult
from bot.core.feeds.schedule import SchedulePolicy
from bot.core.models import Delivery, Feed, ParsedEntry

STARTED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
NOW = STARTED + timedelta(seconds=2)
POLICY = SchedulePolicy(scan_interval=timedelta(minutes=1), max_interval=timedelta(minutes=30))
FEED = Feed(id=7, name="Wire", url="https://news.example/rss", lang="en", active=True, etag="old", last_modified=None,
            next_check_at=STARTED, error_count=0, last_error=None, last_error_at=None,
            last_success_at=STARTED - timedelta(hours=1), entries_per_day=24.0, observed_seconds=3 * 86400,
            ttl_seconds=600.0)
RESULT = FetchResult(status=200, body=b"<rss/>", etag='"v2"', last_modified="Sat, 01 Mar 2025 11:59:00 GMT",
                     final_url="https://news.example/feed.xml", not_modified=False, permanent_redirect=True,
                     content_type="application/rss+xml", max_age_seconds=None)


def context(feed: Feed = FEED, jitter: float = 0.5) -> CheckContext:
    return CheckContext(feed, STARTED, NOW, POLICY, jitter)


def test_success_carries_entries_alerts_validators_and_the_new_url() -> None:
    entries = [ParsedEntry("a", "Idlib news", "", "https://news.example/a")]
    deliveries = {"a": [Delivery(chat_id=5, text="alert", keyword="idlib")]}
    plan = plan_success(context(), RESULT, ttl=None, entries=entries, deliveries=deliveries)
    assert plan.feed_id == 7 and plan.entries == tuple(entries) and plan.deliveries == deliveries
    state = plan.state
    assert state.outcome is CheckOutcome.FETCHED and state.checked_at == NOW
    assert (state.etag, state.last_modified, state.url) == ('"v2"', RESULT.last_modified, RESULT.final_url)
    assert state.next_check_at == STARTED + POLICY.scan_interval, "new entries: check again soon"
    assert state.rate is not None and state.rate.observed_seconds > FEED.observed_seconds
    assert plan.notice is None


def test_a_temporary_redirect_keeps_the_stored_url_and_the_ttl_bounds_the_next_check() -> None:
    plan = plan_success(context(), replace(RESULT, permanent_redirect=False), ttl=1200.0, entries=[], deliveries={})
    assert plan.state.url is None and plan.state.ttl_seconds == 1200.0
    assert plan.state.next_check_at == STARTED + timedelta(seconds=1200)


def test_not_modified_keeps_the_stored_ttl_as_a_floor() -> None:
    plan = plan_not_modified(context(), max_age=None)
    assert plan.state.outcome is CheckOutcome.NOT_MODIFIED and plan.entries == () and not plan.deliveries
    assert plan.state.next_check_at >= STARTED + timedelta(seconds=600)
    assert plan.state.etag is None, "a 304 leaves the stored validators alone"


def test_failure_backs_off_and_tells_admins_once_the_run_is_old_enough() -> None:
    failing = replace(FEED, error_count=3, failing_since=NOW - timedelta(hours=2))
    plan = plan_failure(context(failing), "HTTP 503 " + "x" * 2000, alert_after=timedelta(hours=1))
    assert plan.state.outcome is CheckOutcome.FAILED and plan.state.failure_notified
    assert plan.state.error is not None and len(plan.state.error) == MAX_STORED_ERROR
    assert plan.state.next_check_at > STARTED + POLICY.scan_interval
    assert plan.notice is not None and "Wire" in plan.notice and "4 failed checks" in plan.notice

    told = replace(failing, failure_notified=True)
    assert plan_failure(context(told), "HTTP 503", alert_after=timedelta(hours=1)).notice is None, "only once"
    assert plan_failure(context(failing), "HTTP 503", alert_after=None).notice is None, "nobody to tell"
    young = replace(FEED, failing_since=NOW - timedelta(minutes=5))
    assert not plan_failure(context(young), "HTTP 503", alert_after=timedelta(hours=1)).state.failure_notified


def test_retry_after_is_respected() -> None:
    plan = plan_failure(context(), "HTTP 429", retry_after=1500.0)
    assert plan.state.next_check_at == STARTED + timedelta(seconds=1500)
    capped = plan_failure(context(), "HTTP 429", retry_after=86400.0)
    assert capped.state.next_check_at == STARTED + POLICY.max_backoff, "a server cannot park a feed for a day"


def test_a_recovery_is_announced_only_when_admins_heard_of_the_failure() -> None:
    told = replace(FEED, error_count=9, failing_since=NOW - timedelta(hours=3), failure_notified=True)
    for plan in (plan_not_modified(context(told), max_age=None),
                 plan_success(context(told), RESULT, ttl=None, entries=[], deliveries={})):
        assert plan.notice is not None and "works again" in plan.notice
    untold = replace(told, failure_notified=False)
    assert plan_not_modified(context(untold), max_age=None).notice is None
