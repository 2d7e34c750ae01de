"""Storage: the bot's database (SQLite through aiosqlite, PostgreSQL through asyncpg), SQLAlchemy 2 async.

Time is always a parameter (`now`), never read from the clock here; datetimes are aware UTC in and out.
Claiming work (due feeds, due outbox rows) selects rows and pushes their due time forward by a lease
in one transaction; on PostgreSQL the select is `FOR UPDATE SKIP LOCKED`, and the update re-checks
the due time, so two workers never claim the same row before its lease expires. Engines hide statement
parameters (`hide_parameters=True`): no error message or log line ever carries a chat id or a keyword.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text, true
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from bot.adapters.process_identity import new_claimant_id
from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import identity_key, session_name
from bot.adapters.storage.chat_store import ChatStore
from bot.adapters.storage.feed_store import FeedStore
from bot.adapters.storage.history_store import HistoryStore
from bot.adapters.storage.migrations import upgrade_to_head
from bot.adapters.storage.outbox_store import OutboxStore
from bot.adapters.storage.preference_store import PreferenceStore
from bot.adapters.storage.privacy_store import PrivacyStore
from bot.adapters.storage.subscriber_store import SubscriberStore
from bot.adapters.storage.worker_store import WorkerStore
from bot.core.delivery.settlement import Outcome, Settlement
from bot.errors import StorageError

__all__ = ["Storage", "identity_key", "normalize_database_url"]


def normalize_database_url(database_url: str) -> URL:
    """The async SQLAlchemy URL for `database_url` (sqlite -> aiosqlite, postgres(ql) -> asyncpg)."""
    try:
        url = make_url(database_url.strip())
    except ArgumentError:
        raise StorageError("DATABASE_URL is not a valid database URL") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+asyncpg")
        if "sslmode" in url.query:  # libpq spelling (Heroku and friends); asyncpg calls it `ssl`
            mode = url.query["sslmode"]
            url = url.difference_update_query(["sslmode"]).update_query_dict({"ssl": mode})
        return url
    raise StorageError(f"unsupported database {url.drivername!r} in DATABASE_URL: use sqlite:/// or postgresql://")


def _one_line(exc: BaseException, url: URL) -> str:
    message = (str(exc).strip().splitlines() or [""])[0][:300]
    if url.password:
        message = message.replace(str(url.password), "***")
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _sqlite_engine(url: URL) -> AsyncEngine:
    if url.database in (None, "", ":memory:"):
        engine = create_async_engine(url, poolclass=StaticPool, hide_parameters=True)
    else:
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, hide_parameters=True)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=5000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Storage(ChatStore, FeedStore, HistoryStore, OutboxStore, PreferenceStore, PrivacyStore, SubscriberStore,
              WorkerStore):
    """All persistent state: feeds and their health, entries, subscribers, keywords, outbox, translations.

    Feed-side methods (feeds, entries, outbox) come from `FeedStore` (bot/adapters/storage/feed_store.py);
    subscriber-side ones (subscribers, keywords, translations) from `SubscriberStore`
    (bot/adapters/storage/subscriber_store.py). This class opens and closes the database and sums up counts.
    """

    @classmethod
    async def connect(cls, database_url: str, *, migrate: bool = True) -> Storage:
        """Open the database at `database_url` and migrate it to the newest schema (unless `migrate` is
        false: `python -m bot health` only reads, and never races a starting bot to migrate)."""
        url = normalize_database_url(database_url)
        safe = url.render_as_string(hide_password=True)
        engine: AsyncEngine | None = None
        try:
            claimant = new_claimant_id()
            if url.get_backend_name() == "sqlite":
                engine = _sqlite_engine(url)
            else:  # sessions named after the process, so that taking over a frozen one can end them
                settings = {"application_name": session_name(claimant)}
                engine = create_async_engine(url, pool_pre_ping=True, hide_parameters=True,
                                             connect_args={"timeout": 10, "server_settings": settings})
            async with engine.begin() as conn:
                if migrate:
                    await conn.run_sync(upgrade_to_head)
                else:
                    await conn.execute(text("SELECT 1"))
        except Exception as exc:
            if engine is not None:
                await engine.dispose()
            raise StorageError(f"cannot open database {safe}: {_one_line(exc, url)}") from None
        return cls(engine, claimant)

    @property
    def engine(self) -> AsyncEngine:
        """The underlying engine (for diagnostics and tests)."""
        return self._engine

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()

    async def settle(self, settlement: Settlement) -> None:
        """Record what became of one message's outbox rows (bot.core.delivery.settlement): sent, retried
        or failed, and a chat that cannot receive unsubscribed (its pending rows cancelled). A flood wait
        writes nothing: the rows stay claimed until the drain postpones them."""
        s, ids = settlement, settlement.outbox_ids
        if s.outcome is Outcome.SENT and s.story is not None:  # the rows and the chat's story message together
            await self.record_story_alert(ids, s.story, s.now)
        elif s.outcome is Outcome.SENT:
            await self.mark_sent(ids, s.message_id, s.now)
        elif s.outcome is Outcome.RETRY_LATER and s.retry_at is not None:
            await self.mark_retry(ids, s.error or "", s.retry_at)
        elif s.outcome in (Outcome.FAILED, Outcome.CHAT_GONE):
            await self.mark_failed(ids, s.error or "", s.now)
            if s.deactivate:
                await self.deactivate(s.chat_id, s.error or "", s.now)

    async def stats(self) -> dict[str, int]:
        """Counts for /status and the admin: subscribers, feeds, entries and outbox rows by status."""
        s, f, o = db.subscribers, db.feeds, db.outbox
        queries = {
            "active_subscribers": select(func.count()).select_from(s).where(s.c.active == true()),
            "feeds": select(func.count()).select_from(f).where(f.c.active == true()),
            "entries": select(func.count()).select_from(db.entries),
            **{
                f"{status}_outbox": select(func.count()).select_from(o).where(o.c.status == status)
                for status in ("pending", "sent", "failed")
            },
        }
        async with self._engine.connect() as conn:
            return {name: int((await conn.execute(q)).scalar_one()) for name, q in queries.items()}
