"""Subscriber-side storage: subscribers, their keywords, and the translation cache.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Time is always a parameter
(`now`), never read from the clock; datetimes are aware UTC in and out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import false, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import MAX_ERROR, StoreBase
from bot.core.models import Concept, Subscriber, SubscriberKeyword
from bot.errors import KeywordLimitReached

MAX_ROW_ID = 2**31 - 1
"""Largest value of an Integer id column (PostgreSQL's integer)."""


_SETTINGS = frozenset({"language", "interface_language", "time_zone", "quiet_start", "quiet_end", "quiet_mode",
                       "digest_mode", "corroborated_only"})
"""The subscriber columns `set_preferences` may change."""


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SubscriberStore(StoreBase):
    """Subscribers, keywords and cached translations."""

    # -- subscribers and keywords ------------------------------------------------------------------

    async def _add_concepts(
        self, conn: AsyncConnection, chat_id: int, concepts: Sequence[Concept], now: datetime
    ) -> int:
        added = 0
        for concept in concepts:
            stmt = self._insert(db.keywords).values(
                chat_id=chat_id, key=concept.key, label=concept.label, builtin=concept.builtin,
                created_at=now,
                concept=json.dumps(concept.to_dict(), ensure_ascii=False, sort_keys=True),
            ).on_conflict_do_nothing(index_elements=["chat_id", "key"]).returning(db.keywords.c.id)
            added += (await conn.execute(stmt)).scalar() is not None
        return added

    async def subscribe(
        self, chat_id: int, language: str, default_keywords: Sequence[Concept], now: datetime, *,
        chat_type: str = "private", owner_id: int | None = None, title: str | None = None,
    ) -> bool:
        """Subscribe a chat; True if it is new or was inactive. Keywords survive a /stop and /start.

        `chat_type` is private, group, supergroup or channel; `owner_id` the user managing a channel (a
        reconnected channel takes its new owner); `title` a group's or channel's title."""
        title = title[:255] if title else None
        s = db.subscribers
        async with self._engine.begin() as conn:
            active = (await conn.execute(select(s.c.active).where(s.c.chat_id == chat_id))).scalar()
            if active is None:
                stmt = self._insert(s).values(
                    chat_id=chat_id, language=language, active=True, created_at=now, updated_at=now,
                    chat_type=chat_type, owner_id=owner_id, title=title,
                ).on_conflict_do_nothing(index_elements=["chat_id"]).returning(s.c.chat_id)
                if (await conn.execute(stmt)).scalar() is None:
                    return False  # created concurrently by another request
                await self._add_concepts(conn, chat_id, default_keywords, now)
                return True
            if active:
                return False
            claim = (
                update(s)
                .where(s.c.chat_id == chat_id, s.c.active == false())
                .values(active=True, updated_at=now, chat_type=chat_type, owner_id=owner_id, title=title)
            )
            if (await conn.execute(claim)).rowcount == 0:
                return False
            await conn.execute(  # a comeback starts fresh: no backlog of what was missed while away
                update(db.outbox).where(db.outbox.c.chat_id == chat_id, db.outbox.c.status == "pending")
                .values(status="cancelled", last_error="queued before the subscriber came back")
            )
            if await self._count_keywords(conn, chat_id) == 0:
                await self._add_concepts(conn, chat_id, default_keywords, now)
            return True

    async def _deactivate(self, chat_id: int, reason: str, now: datetime) -> bool:
        s, o = db.subscribers, db.outbox
        async with self._engine.begin() as conn:
            stmt = (
                update(s)
                .where(s.c.chat_id == chat_id, s.c.active == true())
                .values(active=False, updated_at=now)
            )
            was_active = (await conn.execute(stmt)).rowcount > 0
            await conn.execute(
                update(o).where(o.c.chat_id == chat_id, o.c.status == "pending")
                .values(status="cancelled", last_error=reason[:MAX_ERROR])
            )
        return was_active

    async def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """/stop: deactivate and cancel the chat's pending alerts; True if it was active."""
        return await self._deactivate(chat_id, "unsubscribed", now)

    async def deactivate(self, chat_id: int, reason: str, now: datetime) -> None:
        """Stop sending to a chat that cannot receive (e.g. it blocked the bot); cancels pending alerts."""
        await self._deactivate(chat_id, reason, now)

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
        """A group became a supergroup: move the subscription, keywords and pending alerts to the new id.

        Returns False when the old chat is unknown. If the new id is already subscribed, the old
        subscription is merged into it (its keywords added, its pending alerts moved unless duplicates).
        """
        s, k, o = db.subscribers, db.keywords, db.outbox
        async with self._engine.begin() as conn:
            old = (await conn.execute(select(s).where(s.c.chat_id == old_chat_id))).mappings().first()
            if old is None:
                return False
            exists = (await conn.execute(select(s.c.chat_id).where(s.c.chat_id == new_chat_id))).first()
            if exists is None:
                moved = {**old, "chat_id": new_chat_id, "updated_at": now, "chat_type": "supergroup"}
                await conn.execute(s.insert().values(moved))
            taken_keys = select(k.c.key).where(k.c.chat_id == new_chat_id)
            await conn.execute(update(k).where(k.c.chat_id == old_chat_id, k.c.key.not_in(taken_keys))
                               .values(chat_id=new_chat_id))
            taken_entries = select(o.c.entry_id).where(o.c.chat_id == new_chat_id)
            await conn.execute(update(o).where(o.c.chat_id == old_chat_id, o.c.status == "pending",
                                               o.c.entry_id.not_in(taken_entries)).values(chat_id=new_chat_id))
            await conn.execute(update(o).where(o.c.chat_id == old_chat_id, o.c.status == "pending")
                               .values(status="cancelled", last_error=f"chat moved to {new_chat_id}"))
            await conn.execute(k.delete().where(k.c.chat_id == old_chat_id))
            await conn.execute(s.delete().where(s.c.chat_id == old_chat_id))
        return True

    async def get_subscriber(self, chat_id: int) -> Subscriber | None:
        """The subscriber, active or not, or None if the chat never subscribed."""
        s = db.subscribers
        async with self._engine.connect() as conn:
            fields = [name for name in Subscriber.__dataclass_fields__]
            row = (await conn.execute(select(*(s.c[name] for name in fields)).where(s.c.chat_id == chat_id))).first()
        if row is None:
            return None
        return Subscriber(**row._asdict())

    async def languages(self, chat_ids: Collection[int]) -> dict[int, str]:
        """Alert language of each of `chat_ids` that ever subscribed, in one query."""
        s = db.subscribers
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(s.c.chat_id, s.c.language).where(s.c.chat_id.in_(list(chat_ids))))).all()
        return {row.chat_id: row.language for row in rows}

    async def set_preferences(self, chat_id: int, now: datetime, **values: object) -> bool:
        """Set some of the chat's settings (language, interface_language, time_zone, quiet_start, quiet_end,
        quiet_mode, digest_mode); False if the chat never subscribed."""
        unknown = set(values) - _SETTINGS
        if not values or unknown:
            raise ValueError(f"unknown preferences {sorted(unknown)}")
        s = db.subscribers
        async with self._engine.begin() as conn:
            stmt = update(s).where(s.c.chat_id == chat_id).values(updated_at=now, **values)
            return (await conn.execute(stmt)).rowcount > 0

    async def set_language(self, chat_id: int, language: str, now: datetime) -> bool:
        """Set the chat's alert language; False if the chat never subscribed."""
        return await self.set_preferences(chat_id, now, language=language)

    async def active_keywords(self) -> list[SubscriberKeyword]:
        """Every keyword of every active subscriber."""
        k, s = db.keywords, db.subscribers
        query = (
            select(k.c.chat_id, k.c.concept).join(s, s.c.chat_id == k.c.chat_id)
            .where(s.c.active == true()).order_by(k.c.chat_id, k.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [SubscriberKeyword(r.chat_id, Concept.from_dict(json.loads(r.concept))) for r in rows]

    async def keywords_signature(self) -> tuple[int, int, int]:
        """Changes whenever the active keywords change (count, highest and summed ids): a cheap cache key."""
        k, s = db.keywords, db.subscribers
        query = (
            select(func.count(k.c.id), func.coalesce(func.max(k.c.id), 0), func.coalesce(func.sum(k.c.id), 0))
            .join(s, s.c.chat_id == k.c.chat_id).where(s.c.active == true())
        )
        async with self._engine.connect() as conn:
            count, highest, total = (await conn.execute(query)).one()
        return int(count), int(highest), int(total)

    async def keywords(self, chat_id: int) -> list[Concept]:
        """The chat's keywords in the order they were added."""
        k = db.keywords
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(k.c.concept).where(k.c.chat_id == chat_id).order_by(k.c.id))
            return [Concept.from_dict(json.loads(value)) for value in rows.scalars()]

    async def add_keyword(self, chat_id: int, concept: Concept, now: datetime, limit: int | None = None) -> bool:
        """Add a keyword; False if the chat already has one with that key. The chat must exist.

        With `limit`, `KeywordLimitReached` when the chat already has that many: counted after locking the
        chat's row (a no-op update: a row lock on PostgreSQL, the write lock on SQLite), so concurrent
        /add commands cannot all pass the check and store more than the limit.
        """
        async with self._engine.begin() as conn:
            s = db.subscribers
            locked = await conn.execute(s.update().where(s.c.chat_id == chat_id).values(language=s.c.language))
            if locked.rowcount == 0:
                raise LookupError(f"unknown subscriber {chat_id}")
            if limit is not None:
                k = db.keywords
                count = (await conn.execute(select(func.count()).select_from(k).where(k.c.chat_id == chat_id))).scalar()
                if (count or 0) >= limit:
                    raise KeywordLimitReached(count or 0)
            return await self._add_concepts(conn, chat_id, [concept], now) > 0

    async def remove_keyword(self, chat_id: int, key_or_label: str) -> Concept | None:
        """Remove the keyword whose key is `key_or_label`, else whose label matches it in any case."""
        k = db.keywords
        wanted = key_or_label.strip()
        async with self._engine.begin() as conn:
            query = select(k.c.id, k.c.key, k.c.label, k.c.concept).where(k.c.chat_id == chat_id)
            rows = (await conn.execute(query.order_by(k.c.id))).all()
            match = next((r for r in rows if r.key == wanted), None) or next(
                (r for r in rows if r.label.casefold() == wanted.casefold()), None
            )
            if match is None:
                return None
            await conn.execute(k.delete().where(k.c.id == match.id))
        return Concept.from_dict(json.loads(match.concept))

    # -- interface settings and keyword buttons ----------------------------------------------------

    async def set_interface_language(self, chat_id: int, language: str | None, now: datetime) -> bool:
        """Set the language the bot talks to the chat in (None: follow Telegram); False if it never subscribed."""
        return await self.set_preferences(chat_id, now, interface_language=language)

    async def keywords_with_ids(self, chat_id: int) -> list[tuple[int, Concept]]:
        """The chat's keywords with their ids (for remove buttons), in the order they were added."""
        k = db.keywords
        query = select(k.c.id, k.c.concept).where(k.c.chat_id == chat_id).order_by(k.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(row.id, Concept.from_dict(json.loads(row.concept))) for row in rows]

    async def remove_keyword_by_id(self, chat_id: int, keyword_id: int) -> Concept | None:
        """Remove keyword `keyword_id` if it belongs to `chat_id`; None when it does not (any more)."""
        if not 0 < keyword_id <= MAX_ROW_ID:  # a forged button: no such row, and PostgreSQL would refuse it
            return None
        k = db.keywords
        mine = (k.c.id == keyword_id) & (k.c.chat_id == chat_id)
        async with self._engine.begin() as conn:
            stored = (await conn.execute(select(k.c.concept).where(mine))).scalar()
            if stored is None or (await conn.execute(k.delete().where(mine))).rowcount == 0:
                return None
        return Concept.from_dict(json.loads(stored))

    @staticmethod
    async def _count_keywords(conn: AsyncConnection, chat_id: int) -> int:
        query = select(func.count()).select_from(db.keywords).where(db.keywords.c.chat_id == chat_id)
        return int((await conn.execute(query)).scalar_one())

    async def count_keywords(self, chat_id: int) -> int:
        """How many keywords the chat has."""
        async with self._engine.connect() as conn:
            return await self._count_keywords(conn, chat_id)

    # -- translations ------------------------------------------------------------------------------

    async def get_translation(self, text: str, source: str, target: str) -> str | None:
        """A cached translation of `text` from `source` to `target`, if any."""
        t = db.translations
        query = select(t.c.text, t.c.translated).where(
            t.c.text_hash == _text_hash(text), t.c.source == source, t.c.target == target
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return row.translated if row is not None and row.text == text else None

    async def put_translation(
        self, text: str, source: str, target: str, translated: str, provider: str, now: datetime
    ) -> None:
        """Cache a translation (replacing an older one); concurrent writers do not conflict."""
        t = db.translations
        stmt = self._insert(t).values(
            text_hash=_text_hash(text), source=source, target=target, text=text, translated=translated,
            provider=provider, created_at=now,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["text_hash", "source", "target"],
            set_={"text": text, "translated": translated, "provider": provider, "created_at": now},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)
