"""Issue 11.1: a rush of 300 new users against a Bot API enforcing Telegram's limits all get their reply,
no 429 reaches a handler and nothing is logged as a traceback; then 5 alerts reach all 300, once each.

Timing bounds are generous (a loaded 2-core machine); scripts/bench_burst.py measures the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.burst_scenario import BurstScenario

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


async def test_300_users_at_once_all_get_a_reply_then_every_alert_arrives_once(tmp_path: Path) -> None:
    async with BurstScenario(tmp_path, chats=300) as scenario:
        rush = await scenario.rush(timeout=120)
        tracebacks_after_rush = scenario.tracebacks()
        alerts = await scenario.alerts(5, timeout=120)
        log = scenario.process.log_text()

    assert rush.answered == 300
    assert tracebacks_after_rush == 0 and "RetryAfter" not in log and "No error handlers" not in log
    assert rush.seconds >= 300 / 30 - 1  # paced: not faster than Telegram allows...
    assert rush.seconds < 90  # ...and not stuck
    assert alerts.messages == 1500 and set(alerts.copies.values()) == {1}  # none lost, none repeated
    assert len(alerts.copies) == 1500
    assert alerts.seconds < 240  # the floor is 1500 / 29 = 52 s
    assert "Traceback" not in log
