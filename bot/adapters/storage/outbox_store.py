"""The outbox: alerts waiting for Telegram, claimed under a lease and marked with their outcome.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Rows are written by
`FeedStore.store_fetch_result` in the same transaction as their entry; this module only moves them
through pending -> sent | failed | cancelled. Time is always a parameter.

Claims are per chat, so that two workers never send to one chat at once (its pacing and order stay
with one sender): a chat with any pending row leased (`leased_until` in the future) is skipped whole,
and a claimed chat's due rows are leased together (`leased_until`, `leased_by`); a chat with more due rows
than a claim takes gets its oldest ones and all its due summary rows (up to MAX_SUMMARY_ROWS), which go
out as one message. On PostgreSQL each chosen chat is first locked with a transaction-scoped advisory
lock, so concurrent claims never lease one chat twice; settling a row clears its lease.
`next_attempt_at` only says when a row is due.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import MAX_ERROR, StoreBase
from bot.core.metrics import OutboxFigures
from bot.core.models import OutboxMessage

_CHAT_LOCKS = 0x0B0C
"""First key of the PostgreSQL advisory locks taken on chats while claiming (the second is a hash of the id)."""


MAX_SUMMARY_ROWS = 5_000
"""A chat's due summary rows claimed at once, past the claim's limit: one summary message carries them all
(alerts over a scan cycle's cap, bot/core/delivery/alert_cap.py). More wait for the next summary."""


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Pending, due, not leased, and of a chat none of whose pending rows is leased."""
    o = db.outbox
    busy = select(o.c.chat_id).where(o.c.status == "pending", o.c.leased_until > now)
    return and_(o.c.status == "pending", o.c.next_attempt_at <= now,
                or_(o.c.leased_until.is_(None), o.c.leased_until <= now), o.c.chat_id.not_in(busy))


async def _lock_chats(conn: AsyncConnection, chats: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The chats among `chats` this transaction could lock (another claim holds the rest). Statements
    after this one see every claim committed before the locks were granted."""
    query = text("SELECT c FROM unnest(CAST(:chats AS bigint[])) AS c "
                 "WHERE pg_try_advisory_xact_lock(:space, hashtext(c::text))")
    locked = set((await conn.execute(query, {"chats": [c for c, _ in chats], "space": _CHAT_LOCKS})).scalars())
    return [(chat_id, rows) for chat_id, rows in chats if chat_id in locked]


def _fitting(chats: list[tuple[int, int]], limit: int, most: int) -> list[tuple[int, int]]:
    """The first chats, at most `most`, while their rows fit in `limit` (the first chat always)."""
    chosen: list[tuple[int, int]] = []
    total = 0
    for chat_id, rows in chats[:most]:
        if chosen and total + rows > limit:
            break
        chosen.append((chat_id, rows))
        total += rows
    return chosen


class OutboxStore(StoreBase):
    """Claiming and settling outbox rows."""

    async def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        """Lease the due rows of whole chats, oldest chat first, up to `limit` rows (and this worker's fair
        share of the due chats); a chat with more than `limit` due rows alone gets its oldest `limit`."""
        if limit <= 0:
            return []
        o = db.outbox
        free = _claimable(now)
        async with self._claiming() as conn:
            most, candidates = await self._due_chats(conn, free, limit)
            if self._pg and candidates:
                candidates = await _lock_chats(conn, candidates)
            chats = _fitting(candidates, limit, most)
            if not chats:
                return []
            only: ColumnElement[bool] = o.c.chat_id.in_([chat_id for chat_id, _ in chats])
            if chats[0][1] > limit:  # one chat with a long backlog: its oldest rows, the rest after them...
                oldest = select(o.c.id).where(free, o.c.chat_id == chats[0][0]).order_by(o.c.id).limit(limit)
                summary = (select(o.c.id).where(free, o.c.chat_id == chats[0][0], o.c.summary.is_(True))
                           .order_by(o.c.id).limit(MAX_SUMMARY_ROWS))  # ...but its summary rows all at once
                only = or_(o.c.id.in_(oldest.scalar_subquery()), o.c.id.in_(summary.scalar_subquery()))
            claim = (update(o).where(free, only).values(leased_until=now + lease, leased_by=self.claimant)
                     .returning(*o.c))
            rows = sorted((await conn.execute(claim)).mappings().all(), key=lambda row: row["id"])
        fields = OutboxMessage.__dataclass_fields__
        return [OutboxMessage(**{name: row[name] for name in fields}) for row in rows]

    async def outbox_figures(self, now: datetime, sent_since: datetime) -> OutboxFigures:
        """Rows pending, the oldest due one's due time, and publish-to-send seconds of rows sent in
        (`sent_since`, `now`] whose entry states when it was published (for the metrics endpoint)."""
        o, e = db.outbox, db.entries
        pending = o.c.status == "pending"
        depth = select(func.count()).select_from(o).where(pending)
        oldest = select(func.min(o.c.next_attempt_at)).where(pending, o.c.next_attempt_at <= now)
        sent = (select(o.c.sent_at, e.c.published_at).join(e, e.c.id == o.c.entry_id)
                .where(o.c.sent_at > sent_since, o.c.sent_at <= now, o.c.status == "sent",
                       e.c.published_at.is_not(None)))
        async with self._engine.connect() as conn:
            count = int((await conn.execute(depth)).scalar_one())
            due = (await conn.execute(oldest)).scalar_one()
            latencies = tuple(max(0.0, (sent_at - published).total_seconds())
                              for sent_at, published in (await conn.execute(sent)).all())
        return OutboxFigures(count, due, latencies)

    async def _due_chats(self, conn: AsyncConnection, free: ColumnElement[bool],
                         limit: int) -> tuple[int, list[tuple[int, int]]]:
        """How many chats this claim may take (its fair share, at most `limit`), and twice as many
        candidates, oldest first, as (chat id, due rows): others claiming at the same moment lock some."""
        o = db.outbox
        most = limit
        if self.sharing_workers > 1:
            due_chats = select(func.count(func.distinct(o.c.chat_id))).where(free)
            most = self._fair_share(int((await conn.execute(due_chats)).scalar_one()), limit)
        query = (select(o.c.chat_id, func.count()).where(free).group_by(o.c.chat_id)
                 .order_by(func.min(o.c.id)).limit(2 * most))
        return most, [(int(chat_id), int(rows)) for chat_id, rows in (await conn.execute(query)).all()]

    async def _settle(self, outbox_ids: Sequence[int], **values: Any) -> None:
        """Update still-pending rows among `outbox_ids` in one transaction, releasing their lease."""
        if not outbox_ids:
            return
        o = db.outbox
        async with self._engine.begin() as conn:
            await conn.execute(update(o).where(o.c.id.in_(list(outbox_ids)), o.c.status == "pending")
                               .values(leased_until=None, leased_by=None, **values))

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

    async def hold_for_digest(self, outbox_ids: Sequence[int], until: datetime) -> None:
        """Keep rows for a digest due at `until` (no attempt counted; the lease is released, so the chat's
        other alerts, an urgent one, are not held up)."""
        await self._settle(outbox_ids, digest=True, next_attempt_at=until)

    async def pending_count(self, chat_id: int | None = None) -> int:
        """Pending alerts, overall or for one chat."""
        o = db.outbox
        query = select(func.count()).select_from(o).where(o.c.status == "pending")
        if chat_id is not None:
            query = query.where(o.c.chat_id == chat_id)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())
