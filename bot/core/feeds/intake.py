"""How many of a fetch's new entries a scan takes in, and with which dates (issue 12, items 7 and 14).

A hostile or broken feed can list twenty thousand new items at once, or date an item in 2100 so that it
stays at the top of /latest as "just now". `take_in` keeps at most `limit` new entries per fetch, the
newest first (undated ones count as newest: feeds list the latest first), and clamps every date to the
fetch time. Entries left out stay unknown, so a later check takes them in. Pure; time is passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from bot.core.models import ParsedEntry

__all__ = ["MAX_NEW_ENTRIES_PER_FETCH", "clamp_future_date", "take_in"]

MAX_NEW_ENTRIES_PER_FETCH = 100


def clamp_future_date(entry: ParsedEntry, now: datetime) -> ParsedEntry:
    """`entry` dated no later than `now` (an item from the future was published when it was fetched)."""
    if entry.published_at is not None and entry.published_at > now:
        return dataclasses.replace(entry, published_at=now)
    return entry


def take_in(entries: Sequence[ParsedEntry], now: datetime,
            limit: int = MAX_NEW_ENTRIES_PER_FETCH) -> list[ParsedEntry]:
    """At most `limit` of `entries`, the newest first, with future dates clamped to `now`, in feed order."""
    dated = [clamp_future_date(entry, now) for entry in entries]
    if len(dated) <= limit:
        return dated
    by_recency = sorted(range(len(dated)), key=lambda index: dated[index].published_at or now, reverse=True)
    kept = sorted(by_recency[:limit])  # sorted() is stable: among equal dates the feed's order decides
    return [dated[index] for index in kept]
