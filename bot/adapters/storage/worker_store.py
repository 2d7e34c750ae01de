"""The processes sharing one database: heartbeats, live senders, counters, and renewal of outbox leases.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Each process is one row of
`workers`, keyed by `StoreBase.claimant` (also written to `outbox.leased_by`). A heartbeat records the
process's role and counters and returns how many senders (roles `worker` and `all`) are live, that is
heartbeat within `live_within` and not stopped; the count is kept in `sharing_workers`, which divides
the overall send rate and each claim's share of due work. A process found dead (bot/services/recovery.py)
is taken over: its pending outbox rows and its feeds are released at once and its row marked stopped.
On PostgreSQL its sessions (named after it, `session_name`) are ended first: a process frozen inside a
transaction would otherwise keep its row locks, and the take-over would wait for it.
Time is always a parameter.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase, session_name
from bot.core.delivery.recovery import TakenOver, WorkerRecord
from bot.core.health import WorkerStatus
from bot.core.process_roles import JOB_ROLES

log = logging.getLogger(__name__)

SENDING_ROLES = tuple(sorted(JOB_ROLES))
"""Roles that scan feeds and send alerts, and so share the work and the send rate."""
LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's error code when `lock_timeout` ran out."""
FORGET_AFTER = timedelta(days=7)
"""Rows of workers silent for longer than this are deleted at the next heartbeat of any worker."""


class WorkerStore(StoreBase):
    """This process's row in `workers`, and the leases it holds."""

    take_over_lock_wait_ms = 5000
    """How long taking over waits for a row lock (PostgreSQL) before leaving it to the next heartbeat."""

    async def heartbeat(self, role: str, now: datetime, live_within: timedelta, *, feeds_checked: int = 0,
                        alerts_sent: int = 0, messages_sent: int = 0, last_scan_at: datetime | None = None,
                        last_drain_at: datetime | None = None) -> int:
        """Record that this process is alive (with its running totals and when it last finished a scan and
        a drain); returns the live senders (at least 1) and remembers them in `sharing_workers`."""
        w = db.workers
        counters: dict[str, object] = {"feeds_checked": feeds_checked, "alerts_sent": alerts_sent,
                                       "messages_sent": messages_sent}
        counters.update({name: at for name, at in (("last_scan_at", last_scan_at),
                                                   ("last_drain_at", last_drain_at)) if at is not None})
        row = {"id": self.claimant, "role": role, "started_at": now, "heartbeat_at": now, **counters}
        upsert = self._insert(w).values(row).on_conflict_do_update(
            index_elements=["id"], set_={"role": role, "heartbeat_at": now, "stopped_at": None, **counters})
        live = select(func.count()).select_from(w).where(
            w.c.role.in_(SENDING_ROLES), w.c.stopped_at.is_(None), w.c.heartbeat_at >= now - live_within)
        async with self._engine.begin() as conn:
            await conn.execute(upsert)
            await conn.execute(delete(w).where(w.c.heartbeat_at < now - FORGET_AFTER))
            count = int((await conn.execute(live)).scalar_one())
        self.sharing_workers = max(1, count)
        return self.sharing_workers

    async def retire(self, now: datetime, *, feeds_checked: int = 0, alerts_sent: int = 0,
                     messages_sent: int = 0) -> None:
        """This process stops: it no longer counts as live (its row stays, with the final totals)."""
        w = db.workers
        async with self._engine.begin() as conn:
            await conn.execute(update(w).where(w.c.id == self.claimant).values(
                stopped_at=now, heartbeat_at=now, feeds_checked=feeds_checked, alerts_sent=alerts_sent,
                messages_sent=messages_sent))

    async def latest_worker_of_host(self, host: str) -> WorkerStatus | None:
        """The most recently started process of `host` (the first part of its id), for `python -m bot health`."""
        w = db.workers
        query = (select(w.c.id, w.c.role, w.c.started_at, w.c.heartbeat_at, w.c.stopped_at, w.c.last_scan_at,
                        w.c.last_drain_at)
                 .where(w.c.id.like(f"{host[:60]}-%")).order_by(w.c.started_at.desc()).limit(1))
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else WorkerStatus(*row)

    async def renew_outbox_leases(self, now: datetime, lease: timedelta) -> int:
        """Extend to `now + lease` the leases this process holds on pending outbox rows (a long drain);
        returns how many rows it still holds."""
        o = db.outbox
        stmt = (update(o).where(o.c.leased_by == self.claimant, o.c.status == "pending", o.c.leased_until.is_not(None))
                .values(leased_until=now + lease))
        async with self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount or 0

    async def running_workers(self) -> list[WorkerRecord]:
        """Every other process not recorded as stopped (live or silent), oldest heartbeat first."""
        w = db.workers
        query = (select(w.c.id, w.c.role, w.c.heartbeat_at)
                 .where(w.c.stopped_at.is_(None), w.c.id != self.claimant).order_by(w.c.heartbeat_at))
        async with self._engine.connect() as conn:
            return [WorkerRecord(row.id, row.role, row.heartbeat_at) for row in await conn.execute(query)]

    async def take_over(self, dead: Collection[str], now: datetime) -> TakenOver:
        """Release at once what the processes `dead` held: their pending outbox rows become claimable and
        their feeds due; their rows are marked stopped. Never call it with a live process's id."""
        if not dead:
            return TakenOver()
        ids = list(dead)
        o, f, w = db.outbox, db.feeds, db.workers
        if self._pg:
            try:
                await self._end_sessions(ids)
            except DBAPIError as exc:  # e.g. another database role: its locks may still hold (below)
                log.warning("could not end the sessions of %s: %s", ", ".join(ids), type(exc.orig).__name__)
        try:
            async with self._engine.begin() as conn:
                if self._pg:  # a lock still held (a session we could not end) is left to the next heartbeat
                    await conn.execute(text(f"SET LOCAL lock_timeout = '{int(self.take_over_lock_wait_ms)}ms'"))
                rows = await conn.execute(update(o).where(o.c.leased_by.in_(ids), o.c.status == "pending")
                                          .values(leased_until=None, leased_by=None))
                feeds = await conn.execute(update(f).where(f.c.leased_by.in_(ids))
                                           .values(next_check_at=now, leased_by=None))
                await conn.execute(update(w).where(w.c.id.in_(ids), w.c.stopped_at.is_(None))
                                   .values(stopped_at=now))
        except DBAPIError as exc:
            if _sqlstate(exc) != LOCK_NOT_AVAILABLE:
                raise
            log.warning("taking over %s waits for a lock they still hold; trying again at the next heartbeat",
                        ", ".join(ids))
            return TakenOver()
        return TakenOver(outbox_rows=rows.rowcount or 0, feeds=feeds.rowcount or 0)

    async def _end_sessions(self, dead: Collection[str]) -> int:
        """End the PostgreSQL sessions of the processes `dead`: a process frozen in a transaction (stopped,
        swapped out, its host unreachable) holds its row locks until its session ends, and taking over
        its rows would wait for it. Returns how many sessions were ended."""
        names = [session_name(claimant) for claimant in dead]
        query = text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     "WHERE application_name = ANY(:names) AND pid <> pg_backend_pid()")
        async with self._engine.begin() as conn:
            return int((await conn.execute(query, {"names": names})).scalar_one())


def _sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE code of a database error, when the driver gives one."""
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
