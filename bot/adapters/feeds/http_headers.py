"""Reading the HTTP response headers that tell a feed reader when to come back.

`parse_retry_after` reads ``Retry-After`` (seconds or an HTTP date); `cache_lifetime` reads how long
a response stays fresh: ``Cache-Control`` ``s-maxage`` or ``max-age``, else ``Expires`` minus
``Date``. The scheduler uses both as lower bounds on the next check. Pure functions of the header
values and an explicit `now`; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["cache_lifetime", "parse_http_date", "parse_retry_after"]

MAX_CACHE_CONTROL_CHARS = 1_000
"""Longer ``Cache-Control`` values are hostile or broken; only their start is read."""
_NOT_STORABLE = frozenset({"no-cache", "no-store"})


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP date ("Mon, 01 Jan 2024 00:00:00 GMT") as an aware UTC datetime, or None if invalid."""
    if not value or not value.strip():
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _directives(cache_control: str) -> dict[str, str]:
    """Directive names (lower case) and their values, first one wins; split, never backtracked."""
    found: dict[str, str] = {}
    for directive in cache_control[:MAX_CACHE_CONTROL_CHARS].split(","):
        name, _, value = directive.partition("=")
        name = name.strip().lower()
        if name:
            found.setdefault(name, value.strip().strip('"'))
    return found


def _seconds(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return float(int(value.strip()))


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> float | None:
    """How many seconds the response stays fresh according to its headers, or None if they say nothing.

    ``Cache-Control: no-cache`` or ``no-store`` mean None (no lower bound). ``s-maxage`` is preferred
    to ``max-age`` (the bot is one client shared by many readers); without either, ``Expires`` minus
    ``Date`` (or minus `now` when there is no valid ``Date``), never negative. An ``Expires`` that is
    not a valid date means already expired (0), as HTTP says. `headers` keys are matched
    case-insensitively when the mapping does (httpx.Headers) and must be lower case otherwise.
    """
    directives = _directives(headers.get("cache-control") or "")
    if _NOT_STORABLE & directives.keys():
        return None
    for name in ("s-maxage", "max-age"):
        seconds = _seconds(directives.get(name))
        if seconds is not None:
            return seconds
    expires_header = headers.get("expires")
    if expires_header is None:
        return None
    expires = parse_http_date(expires_header)
    if expires is None:
        return 0.0
    date = parse_http_date(headers.get("date")) or now
    return max(0.0, (expires - date).total_seconds())
