"""Alerts sent untranslated, waiting for a translator to answer again (`pending_translations`, see 0011).

A mixin over `StoreBase`, combined into `Storage` through `FeedStore`: `keep_untranslated` runs inside the
transaction that writes a feed's outbox rows (`FeedStore.store_fetch_result`), so an alert and what is
needed to render it again are stored together. The repair (bot/services/late_translation.py) lists the
rows whose alert was sent, records an edit (the rows' new text, the story message's new base, the
pending rows gone) in one transaction, and deletes the rows that can no longer be repaired. Time is
always a parameter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import delete, false, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.delivery.late_translation import UntranslatedAlert
from bot.core.models import StoryMessage


class LateTranslationStore(StoreBase):
    """Untranslated alerts kept for a later edit."""

    async def keep_untranslated(self, conn: AsyncConnection, waiting: Mapping[tuple[int, int], str],
                                now: datetime) -> None:
        """Keep the content (JSON) of each just-queued row, by (chat id, entry id), in `conn`'s transaction."""
        if not waiting:
            return
        o = db.outbox
        entry_ids = sorted({entry_id for _, entry_id in waiting})
        rows = await conn.execute(select(o.c.id, o.c.chat_id, o.c.entry_id).where(o.c.entry_id.in_(entry_ids)))
        values = [{"outbox_id": row.id, "content": waiting[(row.chat_id, row.entry_id)], "created_at": now}
                  for row in rows if (row.chat_id, row.entry_id) in waiting]
        if values:
            insert = self._insert(db.pending_translations).on_conflict_do_nothing(index_elements=["outbox_id"])
            await conn.execute(insert, values)

    async def untranslated_alerts(self, since: datetime, limit: int) -> list[UntranslatedAlert]:
        """Alerts queued at or after `since` and sent on their own (not in a digest or a cycle's summary) to
        chats still subscribed, oldest first."""
        p, o, s = db.pending_translations, db.outbox, db.subscribers
        query = (select(p.c.outbox_id, p.c.content, p.c.created_at, o.c.chat_id, o.c.telegram_message_id,
                        o.c.story_id)
                 .join(o, o.c.id == p.c.outbox_id).join(s, s.c.chat_id == o.c.chat_id)
                 .where(p.c.created_at >= since, o.c.status == "sent", o.c.telegram_message_id.is_not(None),
                        o.c.digest == false(), o.c.summary == false(), s.c.active == true())
                 .order_by(p.c.created_at, p.c.outbox_id).limit(limit))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [UntranslatedAlert(outbox_id=row.outbox_id, chat_id=row.chat_id, message_id=row.telegram_message_id,
                                  story_id=row.story_id, content=row.content, created_at=row.created_at)
                for row in rows]

    async def message_rows(self, chat_id: int, message_id: int) -> list[tuple[int, str, bool]]:
        """The sent rows a message carries, oldest first: (outbox id, alert text, part of a digest or summary)."""
        o = db.outbox
        query = (select(o.c.id, o.c.text, o.c.digest, o.c.summary)
                 .where(o.c.chat_id == chat_id, o.c.telegram_message_id == message_id, o.c.status == "sent")
                 .order_by(o.c.id))
        async with self._engine.connect() as conn:
            return [(row.id, row.text, bool(row.digest or row.summary)) for row in (await conn.execute(query)).all()]

    async def record_late_translation(self, texts: Mapping[int, str], now: datetime,
                                      story: tuple[StoryMessage, str] | None = None) -> bool:
        """The message now shows the translated alerts: each row's new text (by outbox id), the story
        message's new base and text when `story` is (the message as read, its new text), and the rows no
        longer pending, in one transaction. False, and nothing written, when the story message changed
        since it was read (another process grew it): the repair tries again later."""
        o, sm, p = db.outbox, db.story_messages, db.pending_translations
        async with self._engine.begin() as conn:
            if story is not None:
                message, shown = story
                changed = await conn.execute(
                    update(sm).where(sm.c.chat_id == message.chat_id, sm.c.story_id == message.story_id,
                                     sm.c.text == message.text)
                    .values(text=shown, base_text=texts.get(message.outbox_id or 0, message.base_text),
                            updated_at=now))
                if changed.rowcount == 0:  # nothing written yet: the empty transaction commits
                    return False
            for outbox_id, text in texts.items():
                await conn.execute(update(o).where(o.c.id == outbox_id).values(text=text))
            await conn.execute(delete(p).where(p.c.outbox_id.in_(list(texts))))
        return True

    async def forget_untranslated(self, outbox_ids: Collection[int]) -> None:
        """No edit will bring these alerts their translation (the message is gone, or not theirs to edit)."""
        if not outbox_ids:
            return
        p = db.pending_translations
        async with self._engine.begin() as conn:
            await conn.execute(delete(p).where(p.c.outbox_id.in_(list(outbox_ids))))

    async def expire_untranslated(self, before: datetime) -> int:
        """Delete what can no longer be repaired: rows queued before `before`, alerts that failed, were
        cancelled or went into a digest or a cycle's summary, and alerts to chats no longer subscribed.
        Returns how many."""
        p, o, s = db.pending_translations, db.outbox, db.subscribers
        active = select(s.c.chat_id).where(s.c.active == true())
        hopeless = select(o.c.id).where(or_(o.c.status.in_(("failed", "cancelled")), o.c.digest == true(),
                                            o.c.summary == true(), o.c.chat_id.not_in(active)))
        stmt = delete(p).where(or_(p.c.created_at < before, p.c.outbox_id.in_(hopeless)))
        async with self._engine.begin() as conn:
            return int((await conn.execute(stmt)).rowcount or 0)
