"""Shared data and helpers for the storage tests: sample concepts, entries, a feed, a stored fetch.

Imported as `storage_helpers` (pytest puts this directory on sys.path); fixtures live in conftest.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.adapters.storage.database import Storage
from bot.core.models import Concept, Delivery, FeedConfig, ParsedEntry

LEASE = timedelta(minutes=5)
IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ["Idlib"], "ar": ["إدلب"]}, builtin=True)
M4 = Concept(key="m4", label="M4 highway", ambiguous={"en": ["M4"]}, context={"en": ["Syria"]}, builtin=True)
ALEPPO = Concept(key="aleppo", label="Aleppo", terms={"en": ["Aleppo"], "tr": ["Halep"]})


def entry(identity: str, **extra: object) -> ParsedEntry:
    """A parsed entry with predictable title, summary and link."""
    return ParsedEntry(identity=identity, title=f"title {identity}", summary="s", link=f"https://x/{identity}",
                       **extra)  # type: ignore[arg-type]


async def make_feed(storage: Storage, now: datetime, name: str = "SANA", url: str = "https://sana") -> int:
    """Add an admin feed and return its id."""
    return (await storage.add_feed(FeedConfig(name, url, "ar"), now)).id


async def store(storage: Storage, feed_id: int, now: datetime, entries: list[ParsedEntry],
                deliveries: dict[str, list[Delivery]] | None = None, **kw: object) -> int:
    """Store a successful fetch of `entries` (with `deliveries`); returns how many entries were new."""
    return await storage.store_fetch_result(
        feed_id, entries=entries, deliveries=deliveries or {}, etag=kw.get("etag"),  # type: ignore[arg-type]
        last_modified=None, now=now, next_check_at=now + timedelta(minutes=5), url=kw.get("url"),  # type: ignore[arg-type]
    )
