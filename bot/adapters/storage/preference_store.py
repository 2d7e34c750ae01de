"""Delivery preferences: time zone, quiet hours, digest mode, urgent keywords and mutes, per chat.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). The sender reads the
preferences of every chat in a drain with one query per table (`delivery_preferences`) and what it needs
to know about the rows it holds (`outbox_context`); urgent flags and mutes are written here, the other
settings through `SubscriberStore.set_preferences`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, func, select, update

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.models import AlertDetails, ChatPreferences, RowContext


class PreferenceStore(StoreBase):
    """Reading and writing delivery preferences."""

    async def delivery_preferences(self, chat_ids: Collection[int], now: datetime) -> dict[int, ChatPreferences]:
        """Preferences of each of `chat_ids` that is subscribed, with its urgent keywords and live mutes."""
        ids = list(chat_ids)
        if not ids:
            return {}
        s, k, m = db.subscribers, db.keywords, db.mutes
        async with self._engine.connect() as conn:
            columns = (s.c.chat_id, s.c.active, s.c.language, s.c.time_zone, s.c.quiet_start, s.c.quiet_end,
                       s.c.quiet_mode, s.c.digest_mode, s.c.interface_language, s.c.thread_id, s.c.chat_type,
                       s.c.corroborated_only)
            rows = (await conn.execute(select(*columns).where(s.c.chat_id.in_(ids)))).all()
            urgent = (await conn.execute(select(k.c.chat_id, k.c.key).where(k.c.chat_id.in_(ids),
                                                                          k.c.urgent.is_(True)))).all()
            mutes = (await conn.execute(select(m.c.chat_id, m.c.kind, m.c.value).where(
                m.c.chat_id.in_(ids), m.c.until > now))).all()
        urgent_by_chat: dict[int, set[str]] = defaultdict(set)
        for chat_id, key in urgent:
            urgent_by_chat[chat_id].add(key)
        mutes_by_chat: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for chat_id, kind, value in mutes:
            mutes_by_chat[chat_id].append((kind, value))
        result = {}
        for row in rows:
            mine = mutes_by_chat[row.chat_id]
            result[row.chat_id] = ChatPreferences(
                active=row.active, language=row.language, time_zone=row.time_zone,
                quiet_start=row.quiet_start, quiet_end=row.quiet_end,
                quiet_mode=row.quiet_mode, digest_mode=row.digest_mode,
                interface_language=row.interface_language, corroborated_only=row.corroborated_only,
                urgent=frozenset(urgent_by_chat[row.chat_id]),
                muted_keywords=frozenset(value for kind, value in mine if kind == "keyword"),
                muted_sources=frozenset(int(value) for kind, value in mine if kind == "source" and value.isdigit()),
                thread_id=row.thread_id, chat_type=row.chat_type,
            )
        return result

    async def outbox_context(self, outbox_ids: Collection[int]) -> dict[int, RowContext]:
        """Feed, source name, title, language, link and keyword of each outbox row's entry."""
        o, e, f = db.outbox, db.entries, db.feeds
        query = (select(o.c.id, o.c.keyword, o.c.story_id, e.c.feed_id, f.c.name, e.c.title, e.c.lang, e.c.link)
                 .join(e, e.c.id == o.c.entry_id).join(f, f.c.id == e.c.feed_id).where(o.c.id.in_(list(outbox_ids))))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {r.id: RowContext(feed_id=r.feed_id, source=r.name, title=r.title, lang=r.lang, link=r.link,
                                 keyword=r.keyword, story_id=r.story_id) for r in rows}

    async def alert_details(self, outbox_id: int) -> AlertDetails | None:
        """The alert an outbox row sent, with its entry and source; None if there is no such row. When the
        row's alert is a story's message, its text is the message as it reads now (grown by later reports)."""
        o, e, f, sm = db.outbox, db.entries, db.feeds, db.story_messages
        shown = func.coalesce(sm.c.text, o.c.text).label("text")
        query = (select(o.c.id, o.c.chat_id, shown, o.c.keyword, e.c.feed_id, f.c.name, e.c.title, e.c.summary,
                        e.c.lang, e.c.link)
                 .join(e, e.c.id == o.c.entry_id).join(f, f.c.id == e.c.feed_id)
                 .outerjoin(sm, and_(sm.c.chat_id == o.c.chat_id, sm.c.story_id == o.c.story_id,
                                     sm.c.outbox_id == o.c.id))
                 .where(o.c.id == outbox_id))
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return AlertDetails(outbox_id=row.id, chat_id=row.chat_id, text=row.text, keyword=row.keyword,
                            feed_id=row.feed_id, source=row.name, title=row.title, summary=row.summary,
                            lang=row.lang, link=row.link)

    async def set_urgent(self, chat_id: int, key: str, urgent: bool) -> bool:
        """Mark one of the chat's keywords (by key) urgent or not; False if the chat has no such keyword."""
        k = db.keywords
        async with self._engine.begin() as conn:
            stmt = update(k).where(k.c.chat_id == chat_id, k.c.key == key).values(urgent=urgent)
            return (await conn.execute(stmt)).rowcount > 0

    async def mute(self, chat_id: int, kind: str, value: str, until: datetime, now: datetime) -> None:
        """Silence a keyword (by key) or a source (by feed id) for the chat until `until`."""
        m = db.mutes
        async with self._engine.begin() as conn:
            await conn.execute(m.delete().where(m.c.chat_id == chat_id, m.c.kind == kind, m.c.value == value))
            await conn.execute(m.insert().values(chat_id=chat_id, kind=kind, value=value, until=until, created_at=now))

    async def unmute_all(self, chat_id: int) -> int:
        """Lift every mute of the chat; how many there were."""
        m = db.mutes
        async with self._engine.begin() as conn:
            return (await conn.execute(m.delete().where(m.c.chat_id == chat_id))).rowcount or 0

    async def count_mutes(self, chat_id: int, now: datetime) -> int:
        """Mutes still in force for the chat."""
        m = db.mutes
        async with self._engine.connect() as conn:
            query = select(func.count()).select_from(m).where(m.c.chat_id == chat_id, m.c.until > now)
            return int((await conn.execute(query)).scalar_one())
