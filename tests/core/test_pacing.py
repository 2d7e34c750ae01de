"""The pacer's arithmetic: even spacing overall, a burst then 1/s per private chat, 20 a minute per group."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.core.delivery.pacing import Pacer, PacingLimits, is_group


def send_times(pacer: Pacer, chat_ids: list[int], start: float = 0.0) -> list[float]:
    """Send to each chat in turn as early as the pacer allows; return the send times."""
    times, now = [], start
    for chat_id in chat_ids:
        now = pacer.ready_at(chat_id, now)
        pacer.record(chat_id, now)
        times.append(now)
    return times


def test_overall_rate_is_evenly_spaced() -> None:
    times = send_times(Pacer(PacingLimits(per_second=25)), list(range(1, 101)))

    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) == pytest.approx(0.04)
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) == 25


def test_private_chat_gets_a_short_burst_then_one_per_second() -> None:
    times = send_times(Pacer(PacingLimits(per_second=1000, private_burst=3)), [7] * 6)

    assert times[:3] == pytest.approx([0.0, 0.001, 0.002])
    assert times[3] == pytest.approx(1.0, abs=0.01)
    assert [round(b - a, 3) for a, b in pairwise(times[3:])] == [1.0, 1.0]


def test_a_busy_chat_does_not_hold_back_others() -> None:
    pacer = Pacer(PacingLimits(per_second=1000, private_burst=1))
    pacer.record(1, 0.0)

    assert pacer.chat_ready_at(1, 0.0) == pytest.approx(1.0)
    assert pacer.ready_at(2, 0.0) == pytest.approx(0.001)


def test_group_gets_twenty_a_minute() -> None:
    times = send_times(Pacer(PacingLimits(per_second=1000)), [-100] * 45)

    assert times[19] < 1.0
    assert times[20] >= 61.0 and times[40] >= 122.0
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60) <= 20


def test_pause_holds_every_chat_until_it_ends() -> None:
    pacer = Pacer()
    pacer.pause(30.0)

    assert pacer.ready_at(1, 5.0) == 30.0
    assert pacer.ready_at(-5, 29.0) == 30.0
    assert pacer.ready_at(1, 31.0) == 31.0


def test_idle_chats_are_forgotten() -> None:
    pacer = Pacer()
    send_times(pacer, [1, 2, -3])
    assert pacer.tracked_chats() == 3

    pacer.forget_idle(10.0)
    assert pacer.tracked_chats() == 1  # the group's minute window is still open
    pacer.forget_idle(100.0)
    assert pacer.tracked_chats() == 0


def test_group_ids_are_negative() -> None:
    assert is_group(-1001234) and is_group(-5) and not is_group(42)


def test_small_lateness_does_not_slow_the_average_rate() -> None:
    pacer = Pacer(PacingLimits(per_second=20))
    now = 0.0
    for _ in range(200):
        now = pacer.ready_at(1000 + int(now * 1000), now) + 0.004  # every send 4 ms late (timer overshoot)
        pacer.record(1000 + int(now * 1000), now)
    assert now == pytest.approx(199 * 0.05 + 0.004, abs=0.01)  # 200 sends still take 199 intervals


def test_a_long_stall_is_not_made_up_with_a_burst() -> None:
    pacer = Pacer(PacingLimits(per_second=20))
    pacer.record(1, 0.0)
    pacer.record(2, 5.0)  # nothing for five seconds

    assert pacer.global_ready_at(5.0) == pytest.approx(5.05)


def test_a_reservation_books_the_next_overall_slot_and_respects_the_chats_own_limit() -> None:
    pacer = Pacer(PacingLimits(per_second=10.0, private_burst=1))
    assert pacer.reserve(7, 0.0) == 0.0
    assert pacer.reserve(None, 0.0) == pytest.approx(0.1)  # a callback answer: the next overall slot
    assert pacer.reserve(7, 0.0) is None  # chat 7 used its burst: not before a second has passed
    assert pacer.chat_ready_at(7, 0.0) == pytest.approx(1.0)
    assert pacer.reserve(8, 0.0) == pytest.approx(0.2)
    booked_ahead = Pacer(PacingLimits(per_second=1.0, private_burst=1))
    booked_ahead.reserve(5, 0.0)
    assert booked_ahead.reserve(6, 0.0) == pytest.approx(1.0)  # chat 6's send is booked for t=1...
    assert booked_ahead.chat_ready_at(6, 0.5) == pytest.approx(2.0)  # ...so its next is a second after that
