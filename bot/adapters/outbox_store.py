"""The outbox: alerts waiting for Telegram, claimed under a lease and marked with their outcome.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage.py). Rows are written by
`FeedStore.store_fetch_result` in the same transaction as their entry; this module only moves them
through pending -> sent | failed | cancelled. Time is always a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, true, update

from bot.adapters import schema as db
from bot.adapters.base_store import MAX_ERROR, StoreBase
from bot.core.models import OutboxMessage


class OutboxStore(StoreBase):
    """Claiming and settling outbox rows."""

    async def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        """Lease up to `limit` due pending alerts, oldest first."""
        o = db.outbox
        pending = o.c.status == "pending"
        rows = await self._claim(o, o.c.next_attempt_at, pending, (o.c.id,), now, lease, limit)
        fields = OutboxMessage.__dataclass_fields__
        return [OutboxMessage(**{name: row[name] for name in fields}) for row in rows]

    async def _settle(self, outbox_ids: Sequence[int], **values: Any) -> None:
        """Update still-pending rows among `outbox_ids` in one transaction."""
        if not outbox_ids:
            return
        o = db.outbox
        async with self._engine.begin() as conn:
            await conn.execute(update(o).where(o.c.id.in_(list(outbox_ids)), o.c.status == "pending").values(**values))

    async def mark_sent(self, outbox_ids: Sequence[int], telegram_message_id: int | None, now: datetime) -> None:
        """Telegram accepted the message that carried these rows."""
        await self._settle(outbox_ids, status="sent", telegram_message_id=telegram_message_id, sent_at=now)

    async def mark_retry(self, outbox_ids: Sequence[int], error: str, next_attempt_at: datetime) -> None:
        """A transient failure: keep the rows pending, count an attempt, try again at `next_attempt_at`."""
        o = db.outbox
        await self._settle(outbox_ids, attempts=o.c.attempts + 1, last_error=error[:MAX_ERROR],
                           next_attempt_at=next_attempt_at)

    async def postpone(self, outbox_ids: Sequence[int], reason: str, next_attempt_at: datetime) -> None:
        """Hold pending rows until `next_attempt_at` without counting an attempt (flood control)."""
        await self._settle(outbox_ids, last_error=reason[:MAX_ERROR], next_attempt_at=next_attempt_at)

    async def mark_failed(self, outbox_ids: Sequence[int], error: str, now: datetime) -> None:
        """A permanent failure: the rows are kept (status failed) with the error, never retried."""
        o = db.outbox
        await self._settle(outbox_ids, status="failed", attempts=o.c.attempts + 1, last_error=error[:MAX_ERROR],
                           next_attempt_at=now)

    async def cancel(self, outbox_ids: Sequence[int], reason: str) -> None:
        """Rows that must not be sent (e.g. a muted keyword): status cancelled, with the reason."""
        await self._settle(outbox_ids, status="cancelled", last_error=reason[:MAX_ERROR])

    async def cancel_unsubscribed(self) -> int:
        """Cancel pending rows whose chat is not an active subscriber (it left while they were queued)."""
        o, s = db.outbox, db.subscribers
        active = select(s.c.chat_id).where(s.c.active == true())
        stmt = (update(o).where(o.c.status == "pending", o.c.chat_id.not_in(active))
                .values(status="cancelled", last_error="subscriber no longer active"))
        async with self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount or 0

    async def pending_count(self, chat_id: int | None = None) -> int:
        """Pending alerts, overall or for one chat."""
        o = db.outbox
        query = select(func.count()).select_from(o).where(o.c.status == "pending")
        if chat_id is not None:
            query = query.where(o.c.chat_id == chat_id)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())
