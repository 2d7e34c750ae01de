"""Reading back what the bot has seen: recent entries with their feed's name, for /latest.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Time is a parameter
(`since`), never read from the clock; datetimes are aware UTC in and out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.interface.latest import StoredEntry


class HistoryStore(StoreBase):
    """Recent entries, newest first."""

    async def recent_entries(self, since: datetime, limit: int) -> list[StoredEntry]:
        """Up to `limit` entries published (or, without a date, first seen) at or after `since`, newest first.

        Entries of feeds that were removed since are included: they were news when they came.
        """
        if limit <= 0:
            return []
        e, f = db.entries, db.feeds
        at = func.coalesce(e.c.published_at, e.c.created_at)
        query = (
            select(e.c.id, f.c.name, e.c.title, e.c.summary, e.c.link, e.c.lang, at.label("at"), e.c.story_id)
            .join(f, f.c.id == e.c.feed_id)
            .where(at >= since)
            .order_by(at.desc(), e.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            StoredEntry(id=row.id, feed=row.name, title=row.title, summary=row.summary, link=row.link,
                        lang=row.lang, at=row.at, story_id=row.story_id)
            for row in rows
        ]
