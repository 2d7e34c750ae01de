"""Crash safety, for real: SIGKILL the bot while it fans an alert out, restart it, count what arrived.

Every subscriber must get the alert (no losses) and at most the one message in flight at the kill may
be repeated: with SEND_CONCURRENCY=1 there is at most one request in flight, so at most one duplicate.
With several in flight, at most that many, and never two copies to one chat beyond the repeat.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.fanout_scenario import TOKEN, FanoutScenario

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


async def test_kill_during_fanout_loses_nothing_and_repeats_at_most_the_one_in_flight(tmp_path: Path) -> None:
    async with FanoutScenario(tmp_path, subscribers=30, concurrency=1, rate=15) as scenario:
        await scenario.subscribe_all()
        results = [await scenario.kill_during_fanout() for _ in range(2)]
        log = scenario.process.log_text()

    assert TOKEN.split(":", 1)[1] not in log, "the bot token leaked into the log"
    for result in results:
        assert 0 < result.accepted_before_kill < 30, result  # the kill really came mid-fan-out
        assert result.losses == 0, result
        assert result.duplicates <= 1, result


async def test_kill_with_concurrent_sends_repeats_at_most_what_was_in_flight(tmp_path: Path) -> None:
    async with FanoutScenario(tmp_path, subscribers=30, concurrency=4, rate=15, seed=11) as scenario:
        await scenario.subscribe_all()
        result = await scenario.kill_during_fanout()
        copies = scenario.copies(f"https://news.example/en/idlib-story-{scenario.stories}")

    assert result.losses == 0, result
    assert result.duplicates <= 4, result
    assert max(copies.values()) <= 2


async def test_a_restarted_bot_takes_back_its_alerts_at_once_not_at_lease_expiry(tmp_path: Path) -> None:
    """Issue 11.3: with a 60 s send lease, a bot killed mid-fan-out and restarted at once finishes the
    fan-out within 10 s of its first poll: it recognises its previous run and takes its leases back."""
    async with FanoutScenario(tmp_path, subscribers=50, concurrency=1, rate=15, lease_seconds=60,
                              quiet_after=3.0, seed=5) as scenario:
        await scenario.subscribe_all()
        result = await scenario.kill_during_fanout(timeout=45)  # well inside the lease: no waiting it out
        log = scenario.process.log_text()

    assert 0 < result.accepted_before_kill < 50, result
    assert result.losses == 0 and result.duplicates <= 1, result
    assert result.recovery_seconds < 10, result
    assert "took over from 1 stopped process" in log
