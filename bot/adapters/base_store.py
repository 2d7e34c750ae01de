"""Shared plumbing for the storage mixins: the engine, dialect-aware inserts and lease-based claiming.

`StoreBase` holds the async engine; `FeedStore` and `SubscriberStore` build on it and `Storage`
(bot/adapters/storage.py) combines them. Claiming selects due rows and pushes their due time forward by
a lease in one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two workers never claim the same
row before its lease expires.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters import schema as db

MAX_ERROR = 1000
"""Longest stored error message (characters)."""


def identity_key(identity: str) -> str:
    """The stored form of an entry identity: verbatim, or a digest when longer than the column."""
    if len(identity) <= db.IDENTITY_LENGTH:
        return identity
    return "sha256:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


class StoreBase:
    """The engine and the helpers every store mixin shares."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._pg = engine.dialect.name == "postgresql"

    def _insert(self, table: Table) -> Any:
        return (postgresql.insert if self._pg else sqlite.insert)(table)

    async def _claim(
        self, table: Table, due: Any, ready: ColumnElement[bool], order: Sequence[Any],
        now: datetime, lease: timedelta, limit: int,
    ) -> list[Any]:
        if limit <= 0:
            return []
        query = select(table).where(ready, due <= now).order_by(*order).limit(limit)
        if self._pg:
            query = query.with_for_update(skip_locked=True)
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                return []
            claim = (
                update(table)
                .where(table.c.id.in_([r["id"] for r in rows]), ready, due <= now)
                .values({due.key: now + lease})
                .returning(table.c.id)
            )
            won = set((await conn.execute(claim)).scalars())
        return [row for row in rows if row["id"] in won]
