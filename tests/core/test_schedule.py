"""Scheduling decisions: publishing rate, adaptive interval with server lower bounds and a ceiling,
jittered capped backoff, the failure-notice rule and the tick tolerance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.feeds.schedule import (
    MIN_OBSERVED,
    PublishingRate,
    SchedulePolicy,
    failure_alert_due,
    interleave,
    is_too_old,
    server_floor,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SCAN = timedelta(minutes=5)
CEILING = timedelta(minutes=30)
POLICY = SchedulePolicy(scan_interval=SCAN, max_interval=CEILING, max_backoff=timedelta(hours=1))
DAY = timedelta(days=1)
JITTERS = [0.0, 0.1, 0.5, 0.9, 0.999]


def watched(entries_per_day: float) -> PublishingRate:
    """A rate observed for long enough to be trusted."""
    return PublishingRate(entries_per_day, observed_seconds=4 * DAY.total_seconds())


# -- publishing rate ----------------------------------------------------------------------------------


def test_rate_from_first_observation() -> None:
    rate = PublishingRate().observe(10, DAY)
    assert rate.entries_per_day == pytest.approx(10)
    assert rate.observed_seconds == pytest.approx(DAY.total_seconds())


def test_rate_decays_with_quiet_time_and_recovers_with_entries() -> None:
    rate = PublishingRate().observe(30, DAY)
    quiet = rate.observe(0, timedelta(days=3))
    # 30 entries weighed by half after three days (the half-life), over 0.5 + 3 days watched
    assert quiet.entries_per_day == pytest.approx(15 / 3.5)
    busy_again = quiet.observe(20, timedelta(hours=2))
    assert busy_again.entries_per_day > quiet.entries_per_day


def test_many_small_observations_estimate_the_true_rate() -> None:
    rate = PublishingRate()
    for check in range(2000):  # one entry every 30 minutes, checked every 5 minutes, for about a week
        rate = rate.observe(1 if check % 6 == 5 else 0, timedelta(minutes=5))
    assert rate.entries_per_day == pytest.approx(48, rel=0.05)


def test_rate_ignores_negative_or_empty_elapsed_time() -> None:
    rate = PublishingRate(12, 3600)
    assert rate.observe(0, timedelta(seconds=-30)) == rate
    assert PublishingRate().observe(5, timedelta(0)) == PublishingRate()


def test_rate_is_established_only_after_enough_watching() -> None:
    assert not PublishingRate(0, MIN_OBSERVED.total_seconds() - 1).established
    assert PublishingRate(0, MIN_OBSERVED.total_seconds()).established


# -- interval after a success ------------------------------------------------------------------------


@pytest.mark.parametrize(("per_day", "expected"), [
    (500, SCAN),  # busy: every tick
    (48, SCAN),  # a gap of 30 minutes, six checks per gap
    (24, timedelta(minutes=10)),  # a gap of an hour
    (4, CEILING),  # quiet, capped
    (0, CEILING),  # silent, still checked every ceiling
])
def test_interval_follows_the_publishing_rate(per_day: float, expected: timedelta) -> None:
    assert POLICY.interval(watched(per_day)) == expected


def test_unknown_feeds_and_feeds_that_just_published_are_checked_every_scan_interval() -> None:
    assert POLICY.interval(PublishingRate(0, 3600)) == SCAN  # watched for an hour: no evidence yet
    assert POLICY.interval(watched(0), found_new=True) == SCAN


def test_jitter_only_shortens_and_never_below_the_scan_interval() -> None:
    quiet = {POLICY.after_success(NOW, watched(0), jitter=j) for j in JITTERS}
    assert len(quiet) == len(JITTERS)  # spread out, no wave
    assert all(NOW + 0.8 * CEILING <= when <= NOW + CEILING for when in quiet)
    assert {POLICY.after_success(NOW, watched(500), jitter=j) for j in JITTERS} == {NOW + SCAN}


@pytest.mark.parametrize(("floor", "expected"), [
    (timedelta(minutes=15), timedelta(minutes=15)),  # max-age / ttl / Retry-After above the interval
    (timedelta(seconds=30), SCAN),  # below the scan interval: changes nothing
    (timedelta(hours=6), CEILING),  # a day-long ttl must not leave a news feed unchecked
])
def test_server_lower_bounds_respect_the_ceiling(floor: timedelta, expected: timedelta) -> None:
    assert POLICY.after_success(NOW, watched(500), server_floor=floor) == NOW + expected


def test_next_check_always_between_scan_interval_and_ceiling() -> None:
    floors = [None, timedelta(0), timedelta(minutes=7), timedelta(days=2)]
    for per_day in [0, 0.5, 3, 10, 24, 47, 48, 49, 1000]:
        for observed in [0, MIN_OBSERVED.total_seconds(), 10 * DAY.total_seconds()]:
            for jitter in JITTERS:
                for floor in floors:
                    delay = POLICY.after_success(NOW, PublishingRate(per_day, observed), jitter=jitter,
                                                 server_floor=floor) - NOW
                    assert SCAN <= delay <= CEILING, (per_day, observed, jitter, floor)


def test_ceiling_below_the_scan_interval_is_raised_to_it() -> None:
    policy = SchedulePolicy(scan_interval=timedelta(minutes=10), max_interval=timedelta(minutes=1))
    assert policy.max_interval == timedelta(minutes=10)
    assert policy.after_success(NOW, watched(0)) == NOW + timedelta(minutes=10)
    with pytest.raises(ValueError):
        SchedulePolicy(scan_interval=timedelta(0))


# -- failures --------------------------------------------------------------------------------------


def test_backoff_doubles_from_the_scan_interval_up_to_the_cap() -> None:
    delays = [POLICY.backoff(failures) for failures in range(1, 8)]
    assert delays == [SCAN, 2 * SCAN, 4 * SCAN, 8 * SCAN, timedelta(hours=1), timedelta(hours=1), timedelta(hours=1)]


def test_backoff_is_jittered_never_parked_and_never_below_the_scan_interval() -> None:
    for failures in [1, 2, 5, 30, 10_000]:
        for jitter in JITTERS:
            assert SCAN <= POLICY.backoff(failures, jitter=jitter) <= timedelta(hours=1)
    assert len({POLICY.backoff(4, jitter=j) for j in JITTERS}) == len(JITTERS)
    assert POLICY.backoff(4, jitter=0.999) >= 0.5 * POLICY.backoff(4)


def test_backoff_honours_retry_after_within_the_cap() -> None:
    assert POLICY.backoff(1, retry_after=timedelta(minutes=20)) == timedelta(minutes=20)
    assert POLICY.backoff(1, retry_after=timedelta(seconds=10)) == SCAN
    assert POLICY.backoff(1, retry_after=timedelta(days=1)) == timedelta(hours=1)
    assert POLICY.after_failure(NOW, 3, retry_after=timedelta(hours=2)) == NOW + timedelta(hours=1)


def test_backoff_cap_is_never_below_the_ceiling() -> None:
    policy = SchedulePolicy(scan_interval=SCAN, max_interval=timedelta(hours=2), max_backoff=timedelta(hours=1))
    assert policy.backoff(100) == timedelta(hours=2)


def test_failure_alert_is_due_once_after_the_configured_time() -> None:
    hour = timedelta(hours=1)
    assert not failure_alert_due(NOW, False, NOW + timedelta(minutes=59), hour)
    assert failure_alert_due(NOW, False, NOW + hour, hour)
    assert not failure_alert_due(NOW, True, NOW + 5 * hour, hour)  # already told
    assert not failure_alert_due(None, False, NOW, hour)  # not failing
    assert failure_alert_due(NOW, False, NOW, timedelta(0))


# -- helpers -----------------------------------------------------------------------------------------


def test_server_floor_takes_the_longest_positive_bound() -> None:
    assert server_floor(None, None) is None
    assert server_floor(0, -5) is None
    assert server_floor(600, None, 3600.0) == timedelta(hours=1)


def test_a_tick_claims_feeds_due_just_after_it() -> None:
    assert POLICY.due_by(NOW) == NOW + 0.1 * SCAN
    assert POLICY.after_success(NOW, watched(500)) <= POLICY.due_by(NOW + SCAN - timedelta(milliseconds=5))


def test_interleave_spreads_items_sharing_a_key_and_keeps_their_order() -> None:
    feeds = ["a/1", "a/2", "a/3", "b/1", "c/1", "c/2"]
    assert interleave(feeds, lambda url: url.split("/")[0]) == ["a/1", "b/1", "c/1", "a/2", "c/2", "a/3"]
    assert interleave([], str) == []
    assert interleave([None, None], lambda item: 0) == [None, None]


def test_is_too_old() -> None:
    assert is_too_old(NOW - timedelta(days=4), NOW, timedelta(days=3))
    assert not is_too_old(NOW - timedelta(days=2), NOW, timedelta(days=3))
    assert not is_too_old(None, NOW, timedelta(days=3))
