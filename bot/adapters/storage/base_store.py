"""Shared plumbing for the storage mixins: the engine, dialect-aware inserts and lease-based claiming.

`StoreBase` holds the async engine; `FeedStore` and `SubscriberStore` build on it and `Storage`
(bot/adapters/storage/database.py) combines them. Claiming selects due rows and pushes their due time forward by
a lease in one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two workers never claim the same
row before its lease expires. When several workers share the database, each claim takes at most a fair
share of what is due (due rows divided by the live workers counted at this process's last heartbeat,
bot/adapters/storage/worker_store.py), so the first worker to tick does not take everything.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.adapters.process_identity import new_claimant_id
from bot.adapters.storage import schema as db

MAX_ERROR = 1000
"""Longest stored error message (characters)."""


def session_name(claimant: str) -> str:
    """The PostgreSQL `application_name` of a process's sessions: short (PostgreSQL keeps 63 characters)
    and derived from its claimant id, so that another process can find them (WorkerStore.take_over)."""
    return "idlib-m4-bot " + hashlib.sha256(claimant.encode("utf-8")).hexdigest()[:16]


def identity_key(identity: str) -> str:
    """The stored form of an entry identity: verbatim, or a digest when longer than the column."""
    if len(identity) <= db.IDENTITY_LENGTH:
        return identity
    return "sha256:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


class StoreBase:
    """The engine and the helpers every store mixin shares."""

    def __init__(self, engine: AsyncEngine, claimant: str | None = None) -> None:
        self._engine = engine
        self._pg = engine.dialect.name == "postgresql"
        self.claimant = claimant or new_claimant_id()
        """Who this storage's leases belong to (`outbox.leased_by`, `workers.id`): one per process."""
        self.sharing_workers = 1
        """Live workers sharing due work, as counted at the last heartbeat; claims take 1/n of it."""
        self._sqlite_claims = asyncio.Lock()

    @asynccontextmanager
    async def _claiming(self) -> AsyncIterator[AsyncConnection]:
        """The transaction of one claim. SQLite has no row locks: there, claims of one process take turns
        (two concurrent claims would select the same rows and the loser would get none)."""
        if self._pg:
            async with self._engine.begin() as conn:
                yield conn
            return
        async with self._sqlite_claims, self._engine.begin() as conn:
            yield conn

    def _fair_share(self, due_count: int, limit: int) -> int:
        """At most `limit`, and at most this worker's share of `due_count` (at least one)."""
        if self.sharing_workers <= 1:
            return limit
        return min(limit, max(1, math.ceil(due_count / self.sharing_workers)))

    async def _count(self, conn: AsyncConnection, table: Table, where: ColumnElement[bool]) -> int:
        return int((await conn.execute(select(func.count()).select_from(table).where(where))).scalar_one())

    def _insert(self, table: Table) -> Any:
        return (postgresql.insert if self._pg else sqlite.insert)(table)

    async def _claim(
        self, table: Table, due: Any, ready: ColumnElement[bool], order: Sequence[Any],
        now: datetime, lease: timedelta, limit: int, *, mark: dict[str, Any] | None = None,
    ) -> list[Any]:
        """Select up to `limit` ready rows due by `now` and push their due time to `now + lease` (also
        setting the columns of `mark`, e.g. who holds the lease); returns the rows as they were."""
        if limit <= 0:
            return []
        async with self._claiming() as conn:
            if self.sharing_workers > 1:
                limit = self._fair_share(await self._count(conn, table, ready & (due <= now)), limit)
            query = select(table).where(ready, due <= now).order_by(*order).limit(limit)
            if self._pg:
                query = query.with_for_update(skip_locked=True)
            rows = (await conn.execute(query)).mappings().all()
            if not rows:
                return []
            claim = (
                update(table)
                .where(table.c.id.in_([r["id"] for r in rows]), ready, due <= now)
                .values({due.key: now + lease, **(mark or {})})
                .returning(table.c.id)
            )
            won = set((await conn.execute(claim)).scalars())
        return [row for row in rows if row["id"] in won]
