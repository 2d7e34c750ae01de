"""Feed health texts: the /feeds line, the admin notices and packing lines into Telegram-sized messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.feeds.feed_health import failure_notice, health_line, recovery_notice, relative, span
from bot.core.interface.formatting import TELEGRAM_LIMIT, pack_lines
from bot.core.models import Feed

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FEED = Feed(id=1, name="Syria News", url="https://news.example/rss", lang="en", active=True, etag=None,
            last_modified=None, next_check_at=NOW + timedelta(minutes=4), error_count=0, last_error=None,
            last_error_at=None, last_success_at=NOW - timedelta(minutes=1), checks=40, not_modified=38,
            entries_per_day=12.345, observed_seconds=5 * 86400)


def test_span_and_relative() -> None:
    assert [span(s) for s in (5, 119, 120, 7199, 7200, 172800)] == ["5s", "119s", "2min", "119min", "2h", "2d"]
    assert relative(None, NOW) == "never"
    assert relative(NOW - timedelta(minutes=5), NOW) == "5min ago"
    assert relative(NOW + timedelta(minutes=5), NOW) == "in 5min"


def test_healthy_line_shows_every_figure() -> None:
    line = health_line(FEED, NOW)
    assert line.startswith("Syria News [en] OK")
    for part in ("last success 60s ago", "next check in 4min", "304 for 95% of 40 checks", "12.3 entries/day"):
        assert part in line, line
    assert "error" not in line


def test_failing_line_shows_consecutive_failures_and_the_last_error() -> None:
    failing = replace(FEED, error_count=7, last_error="HTTP 503 Service Unavailable " + "x" * 1000,
                      last_error_at=NOW - timedelta(minutes=2), failing_since=NOW - timedelta(hours=3),
                      failure_notified=True, observed_seconds=600)
    line = health_line(failing, NOW)
    assert "FAILING (7 in a row, since 3h ago, admins told)" in line
    assert "last error 2min ago: HTTP 503 Service Unavailable" in line
    assert "(watched 10min so far)" in line
    assert len(line) < 600


def test_never_checked_feed() -> None:
    fresh = replace(FEED, last_success_at=None, checks=0, not_modified=0)
    line = health_line(fresh, NOW)
    assert "not checked yet" in line and "last success never" in line and "no checks" in line


def test_notices_name_the_feed_the_duration_and_the_error() -> None:
    failing = replace(FEED, error_count=5, failing_since=NOW - timedelta(minutes=75))
    text = failure_notice(failing, NOW, "HTTP 403 Forbidden", 6, NOW + timedelta(minutes=20))
    assert "works again" not in text  # only the recovery notice says that
    for part in ("Syria News", "failing for 75min", "6 failed checks", "HTTP 403 Forbidden", "in 20min",
                 "https://news.example/rss"):
        assert part in text, text
    back = recovery_notice(replace(failing, failure_notified=True), NOW)
    assert "Syria News" in back and "works again" in back and "75min" in back


def test_pack_lines_never_splits_a_line_and_stays_under_the_limit() -> None:
    lines = [f"• feed {n} " + "y" * (n % 300) for n in range(400)]
    messages = pack_lines(lines)
    assert len(messages) > 1
    assert all(len(message) <= TELEGRAM_LIMIT for message in messages)
    assert [line for message in messages for line in message.split("\n")] == lines


def test_pack_lines_shortens_a_line_longer_than_a_message() -> None:
    (message,) = pack_lines(["word " * 2000], limit=100)
    assert len(message) <= 100 and message.endswith("…")
    assert pack_lines([]) == []
