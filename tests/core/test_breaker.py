"""The per-provider circuit breaker: when a failing translation provider is skipped, and for how long."""

from __future__ import annotations

from bot.core.translation.breaker import CLOSED, BreakerPolicy, after_failure, after_success

POLICY = BreakerPolicy(failures_to_open=3, first_cool_down=30, max_cool_down=200)


def test_a_few_failures_keep_the_provider_in_use() -> None:
    state = after_failure(CLOSED, 0, POLICY, rate_limited=False)
    state = after_failure(state, 1, POLICY, rate_limited=False)
    assert state.allows(2) and state.failures == 2


def test_the_nth_failure_opens_it_for_the_first_cool_down() -> None:
    state = CLOSED
    for now in (0, 1, 2):
        state = after_failure(state, now, POLICY, rate_limited=False)
    assert state.is_open(2) and state.is_open(31.9)
    assert state.allows(32)


def test_a_429_opens_it_at_once() -> None:
    state = after_failure(CLOSED, 10, POLICY, rate_limited=True)
    assert state.is_open(11) and state.allows(40)


def test_the_cool_down_grows_while_the_trial_calls_fail_and_is_capped() -> None:
    state = after_failure(CLOSED, 0, POLICY, rate_limited=True)
    cool_downs = []
    now = 0.0
    for _ in range(5):
        assert state.open_until is not None
        cool_downs.append(state.open_until - now)
        now = state.open_until  # the one trial call after the cool-down fails again
        state = after_failure(state, now, POLICY, rate_limited=False)
    assert cool_downs == [30, 60, 120, 200, 200]


def test_a_success_forgets_everything() -> None:
    state = after_failure(CLOSED, 0, POLICY, rate_limited=True)
    state = after_success(state)
    assert state == CLOSED
    again = after_failure(state, 100, POLICY, rate_limited=True)
    assert again.open_until == 130  # back to the first cool-down
