"""When an alert may ring: quiet hours and digest mode, decided per subscriber in their own time zone.

Pure: the time zone arrives as a `tzinfo` and the time as an aware datetime. A subscriber may have
quiet hours (e.g. 23:00-07:00 local) during which alerts are either sent silently or held and
delivered as one digest when the quiet hours end; and a digest mode (hourly, or daily at 08:00
local) that collects alerts into one message instead of one message each. A keyword marked urgent
overrides both: its alerts go out at once, with sound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import Enum

DAILY_DIGEST_AT = time(8, 0)
MINUTES_PER_DAY = 24 * 60


class QuietMode(Enum):
    """What happens to alerts during quiet hours."""

    SILENT = "silent"
    """Delivered at once without a notification sound."""
    HOLD = "hold"
    """Held, then delivered as one digest when the quiet hours end."""


class DigestMode(Enum):
    """How often alerts are delivered."""

    OFF = "off"
    HOURLY = "hourly"
    DAILY = "daily"


@dataclass(frozen=True)
class QuietHours:
    """A daily window in local minutes since midnight; `start > end` wraps past midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start < MINUTES_PER_DAY and 0 <= self.end < MINUTES_PER_DAY) or self.start == self.end:
            raise ValueError(f"quiet hours need two different times of day, not {self.start}-{self.end}")

    def contains(self, minute: int) -> bool:
        """Whether a local minute of the day falls inside the window."""
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def label(self) -> str:
        """"23:00–07:00"."""
        return f"{_clock(self.start)}–{_clock(self.end)}"


@dataclass(frozen=True)
class Preferences:
    """A subscriber's delivery preferences."""

    zone: tzinfo = UTC
    quiet: QuietHours | None = None
    quiet_mode: QuietMode = QuietMode.SILENT
    digest: DigestMode = DigestMode.OFF


@dataclass(frozen=True)
class Decision:
    """What to do with an alert now: send it (perhaps silently), or hold it for a digest until `hold_until`."""

    hold_until: datetime | None = None
    silent: bool = False

    @property
    def send_now(self) -> bool:
        return self.hold_until is None


def decide(prefs: Preferences, now: datetime, *, urgent: bool = False, held: bool = False) -> Decision:
    """The decision for an alert at `now`; `held` says it already waited for its digest and is due."""
    if urgent:
        return Decision()
    local = now.astimezone(prefs.zone)
    quiet = prefs.quiet is not None and prefs.quiet.contains(local.hour * 60 + local.minute)
    if quiet and prefs.quiet_mode is QuietMode.HOLD:
        return Decision(hold_until=quiet_ends_at(prefs, now))
    if prefs.digest is not DigestMode.OFF and not held:
        return Decision(hold_until=next_digest_at(prefs, now))
    return Decision(silent=quiet)


def quiet_ends_at(prefs: Preferences, now: datetime) -> datetime:
    """The next end of the quiet window after `now` (as an aware UTC datetime)."""
    if prefs.quiet is None:
        return now
    return _next_local_time(now, prefs.zone, prefs.quiet.end)


def next_digest_at(prefs: Preferences, now: datetime) -> datetime:
    """The next digest time after `now`: the next full local hour, or 08:00 local for daily digests."""
    if prefs.digest is DigestMode.DAILY:
        return _next_local_time(now, prefs.zone, DAILY_DIGEST_AT.hour * 60 + DAILY_DIGEST_AT.minute)
    local = now.astimezone(prefs.zone)
    return (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(UTC)


def parse_quiet_hours(text: str) -> QuietHours | None:
    """"23-7", "23:00-07:30", "22.30–6" -> QuietHours; None for "off"; ValueError for anything else."""
    cleaned = text.strip().lower().replace("–", "-").replace("—", "-")
    if cleaned in ("off", "none", "0"):
        return None
    start, sep, end = cleaned.partition("-")
    if not sep:
        raise ValueError("write quiet hours as start-end, for example 23-7 or 22:30-06:00")
    return QuietHours(_minute_of_day(start), _minute_of_day(end))


def _minute_of_day(text: str) -> int:
    hours, _, minutes = text.strip().replace(".", ":").partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise ValueError(f"{text.strip()!r} is not a time of day")
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 23 or int(minutes or 0) > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day")
    return value


def _next_local_time(now: datetime, zone: tzinfo, minute_of_day: int) -> datetime:
    """The first moment after `now` whose local wall-clock time is `minute_of_day` (DST-safe enough)."""
    local = now.astimezone(zone)
    target = local.replace(hour=minute_of_day // 60, minute=minute_of_day % 60, second=0, microsecond=0)
    if target <= local:
        target = (target.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=zone)
    return target.astimezone(UTC)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
