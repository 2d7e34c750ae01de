"""Plain-text descriptions of feed health: the /feeds lines, the admin failure and recovery notices.

Pure: the time is passed in. Feed names, URLs and errors come from outside, so they are shortened
here, and the texts are meant to be sent without parse mode (no markup to escape).
"""

from __future__ import annotations

from datetime import datetime

from bot.core.feeds.schedule import MIN_OBSERVED
from bot.core.interface.formatting import shorten
from bot.core.models import Feed

_NAME_CHARS = 100
_ERROR_CHARS = 200


def span(seconds: float) -> str:
    """A short human duration: 45s, 12min, 5h, 3d."""
    whole = int(max(seconds, 0))
    if whole < 120:
        return f"{whole}s"
    if whole < 7200:
        return f"{whole // 60}min"
    if whole < 172800:
        return f"{whole // 3600}h"
    return f"{whole // 86400}d"


def relative(moment: datetime | None, now: datetime) -> str:
    """`moment` relative to `now`: "never", "5min ago" or "in 5min"."""
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    return f"in {span(-seconds)}" if seconds < 0 else f"{span(seconds)} ago"


def _rate(feed: Feed) -> str:
    text = f"{feed.entries_per_day:.1f} entries/day"
    if feed.observed_seconds < MIN_OBSERVED.total_seconds():
        text += f" (watched {span(feed.observed_seconds)} so far)"
    return text


def _state(feed: Feed, now: datetime) -> str:
    if feed.error_count:
        since = f", since {relative(feed.failing_since, now)}" if feed.failing_since else ""
        told = ", admins told" if feed.failure_notified else ""
        return f"FAILING ({feed.error_count} in a row{since}{told})"
    return "OK" if feed.last_success_at is not None else "not checked yet"


def health_line(feed: Feed, now: datetime) -> str:
    """One line about a feed: state and consecutive failures, last success, next check, share of 304s,
    entries per day, and the last error."""
    share = f"304 for {100 * feed.not_modified // feed.checks}% of {feed.checks} checks" if feed.checks else "no checks"
    parts = [
        f"{shorten(feed.name, _NAME_CHARS)} [{feed.lang}] {_state(feed, now)}",
        f"last success {relative(feed.last_success_at, now)}",
        f"next check {relative(feed.next_check_at, now)}",
        share,
        _rate(feed),
    ]
    if feed.last_error:
        parts.append(f"last error {relative(feed.last_error_at, now)}: {shorten(feed.last_error, _ERROR_CHARS)}")
    return "; ".join(parts)


def failure_notice(feed: Feed, now: datetime, error: str, failures: int, next_check_at: datetime) -> str:
    """The one message admins get when `feed` has been failing for too long."""
    since = feed.failing_since or now
    return (f"⚠️ Feed “{shorten(feed.name, _NAME_CHARS)}” has been failing for {span((now - since).total_seconds())} "
            f"({failures} failed checks in a row).\nLast error: {shorten(error, _ERROR_CHARS)}\n"
            f"Next try {relative(next_check_at, now)}. URL: {shorten(feed.url, 300)}\n"
            "You will get one more message when it recovers.")


def recovery_notice(feed: Feed, now: datetime) -> str:
    """The one message admins get when a feed they were told about works again."""
    since = feed.failing_since or now
    return (f"✅ Feed “{shorten(feed.name, _NAME_CHARS)}” works again, after failing for "
            f"{span((now - since).total_seconds())} ({feed.error_count} failed checks).")
