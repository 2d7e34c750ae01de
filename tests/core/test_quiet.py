"""Quiet hours and digests in the subscriber's own time zone: when an alert rings, waits or goes silently."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.delivery.quiet import (
    DigestMode,
    Preferences,
    QuietHours,
    QuietMode,
    decide,
    next_digest_at,
    parse_quiet_hours,
    quiet_ends_at,
)

DAMASCUS = ZoneInfo("Asia/Damascus")  # UTC+3 all year since 2022
NIGHT = QuietHours(23 * 60, 7 * 60)


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    """A UTC moment in March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_quiet_hours_wrap_past_midnight() -> None:
    assert NIGHT.contains(23 * 60) and NIGHT.contains(3 * 60) and NIGHT.contains(6 * 60 + 59)
    assert not NIGHT.contains(7 * 60) and not NIGHT.contains(12 * 60)
    day = QuietHours(13 * 60, 14 * 60)
    assert day.contains(13 * 60 + 30) and not day.contains(14 * 60)
    assert NIGHT.label() == "23:00–07:00"


def test_silent_during_local_night_only() -> None:
    prefs = Preferences(zone=DAMASCUS, quiet=NIGHT)
    assert decide(prefs, at(21)) == decide(prefs, at(0)) != decide(prefs, at(19))  # 00:00, 03:00 local
    assert decide(prefs, at(21)).silent and decide(prefs, at(21)).send_now
    assert not decide(prefs, at(19)).silent  # 22:00 local: not yet quiet


def test_hold_mode_waits_for_the_end_of_quiet_hours() -> None:
    prefs = Preferences(zone=DAMASCUS, quiet=NIGHT, quiet_mode=QuietMode.HOLD)
    decision = decide(prefs, at(1))  # 04:00 local
    assert decision.hold_until == at(4)  # 07:00 local
    assert decide(prefs, at(4)).send_now


def test_urgent_keywords_ring_through_quiet_hours_and_digests() -> None:
    prefs = Preferences(zone=DAMASCUS, quiet=NIGHT, quiet_mode=QuietMode.HOLD, digest=DigestMode.DAILY)
    decision = decide(prefs, at(1), urgent=True)
    assert decision.send_now and not decision.silent


def test_hourly_digest_waits_for_the_next_full_local_hour() -> None:
    prefs = Preferences(zone=ZoneInfo("Asia/Kolkata"), digest=DigestMode.HOURLY)  # UTC+5:30
    decision = decide(prefs, at(10, 17))  # 15:47 local
    assert decision.hold_until == at(10, 30)  # 16:00 local
    assert decide(prefs, at(10, 30), held=True).send_now  # due digests go


def test_daily_digest_is_at_eight_local_time() -> None:
    prefs = Preferences(zone=DAMASCUS, digest=DigestMode.DAILY)
    assert next_digest_at(prefs, at(4, 59)) == at(5)  # 07:59 -> 08:00 the same day
    assert next_digest_at(prefs, at(5)) == at(5, day=11)  # exactly 08:00 -> the next day


def test_digest_due_during_hold_quiet_hours_waits_until_morning() -> None:
    prefs = Preferences(zone=DAMASCUS, quiet=NIGHT, quiet_mode=QuietMode.HOLD, digest=DigestMode.HOURLY)
    assert decide(prefs, at(22), held=True).hold_until == at(4, day=11)


def test_quiet_end_across_daylight_saving_change() -> None:
    berlin = Preferences(zone=ZoneInfo("Europe/Berlin"), quiet=NIGHT, quiet_mode=QuietMode.HOLD)
    # the night of 28-29 March 2026: clocks go from 02:00 to 03:00; 07:00 local is 05:00 UTC
    assert quiet_ends_at(berlin, datetime(2026, 3, 28, 23, 0, tzinfo=UTC)) == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("23-7", QuietHours(23 * 60, 7 * 60)), ("22:30-06:00", QuietHours(22 * 60 + 30, 6 * 60)),
    ("0.15–8", QuietHours(15, 8 * 60)), ("off", None), (" OFF ", None),
])
def test_parse_quiet_hours(text: str, expected: QuietHours | None) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize("text", ["23", "25-7", "7-7", "ab-cd", "23:60-7", "-", "23-7-9"])
def test_parse_quiet_hours_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet_hours(text)
