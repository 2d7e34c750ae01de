"""The pacer's overall rate can change while it runs: a worker sending for one bot among several paces at
its share of the bot's rate, and follows the share when workers come and go."""

from __future__ import annotations

from itertools import pairwise

import pytest
from test_pacing import send_times

from bot.core.delivery.pacing import Pacer, PacingLimits


def test_a_lower_share_spaces_messages_further_apart() -> None:
    pacer = Pacer(PacingLimits(per_second=30))
    before = send_times(pacer, list(range(1, 11)))
    pacer.set_overall_rate(30 / 4)  # three more workers joined
    after = send_times(pacer, list(range(11, 31)), start=before[-1])

    assert [round(b - a, 4) for a, b in pairwise(before)] == [pytest.approx(1 / 30, abs=1e-4)] * 9
    gaps = [b - a for a, b in pairwise(after)]
    assert gaps[1:] == [pytest.approx(4 / 30)] * (len(gaps) - 1)  # the slot already given stays
    assert max(sum(1 for t in after if s <= t < s + 1) for s in after) == 8


def test_other_limits_are_kept_and_a_bad_rate_is_refused() -> None:
    pacer = Pacer(PacingLimits(per_second=30, private_burst=5, group_per_minute=10))
    pacer.set_overall_rate(2.5)

    assert pacer.limits == PacingLimits(per_second=2.5, private_burst=5, group_per_minute=10)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            pacer.set_overall_rate(bad)
    assert pacer.limits.per_second == 2.5
