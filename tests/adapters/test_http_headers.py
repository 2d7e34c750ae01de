"""Tests for bot.adapters.feeds.http_headers: Retry-After and freshness lifetimes from response headers."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from bot.adapters.feeds.http_headers import cache_lifetime, parse_http_date, parse_retry_after

NOW = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
DATE = "Mon, 01 Jan 2024 00:00:00 GMT"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "max-age=600"}, 600.0),
        ({"Cache-Control": "public, MAX-AGE=600, must-revalidate"}, 600.0),
        ({"Cache-Control": 'max-age="120"'}, 120.0),
        ({"Cache-Control": "s-maxage=1800, max-age=60"}, 1800.0),
        ({"Cache-Control": "max-age=0"}, 0.0),
        ({"Cache-Control": "no-cache"}, None),
        ({"Cache-Control": "no-store, max-age=600"}, None),
        ({"Cache-Control": "private, max-age=600"}, 600.0),
        ({"Cache-Control": "max-age=soon"}, None),
        ({"Cache-Control": "max-age=-5"}, None),
        ({"Date": DATE, "Expires": "Mon, 01 Jan 2024 01:00:00 GMT"}, 3600.0),
        ({"Date": DATE, "Expires": "Sun, 31 Dec 2023 23:00:00 GMT"}, 0.0),
        ({"Date": DATE, "Expires": "0"}, 0.0),  # an invalid Expires means already expired
        ({"Expires": "Mon, 01 Jan 2024 00:10:00 GMT"}, 600.0),  # no Date: measured from now
        ({"Cache-Control": "max-age=60", "Date": DATE, "Expires": "Mon, 01 Jan 2024 01:00:00 GMT"}, 60.0),
        ({"Cache-Control": "no-cache", "Date": DATE, "Expires": "Mon, 01 Jan 2024 01:00:00 GMT"}, None),
        ({}, None),
        ({"Cache-Control": ""}, None),
    ],
)
def test_cache_lifetime(headers: dict[str, str], expected: float | None) -> None:
    assert cache_lifetime(httpx.Headers(headers), NOW) == expected


def test_parse_http_date() -> None:
    assert parse_http_date(DATE) == NOW
    assert parse_http_date("Mon, 01 Jan 2024 03:00:00 +0300") == NOW
    assert parse_http_date("yesterday") is None
    assert parse_http_date(None) is None


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 01 Jan 2024 00:01:30 GMT", now=NOW) == 90.0
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now=NOW) == 0.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("later") is None
    assert parse_retry_after("  ") is None
