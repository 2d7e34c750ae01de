"""Everything stored about one chat, read in one go (`/export`) or deleted in one transaction (`/forget`).

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Keywords and mutes
go with the subscriber row (ON DELETE CASCADE); outbox rows carry the chat id without a foreign key,
so they are deleted explicitly, in the same transaction.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, func, select

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.models import Concept, Subscriber
from bot.core.privacy import MAX_EXPORTED_ALERTS, KeptAlert, KeptKeyword, KeptMute, SubscriberData


class PrivacyStore(StoreBase):
    """One subscriber's data, for export or deletion."""

    async def subscriber_data(self, chat_id: int) -> SubscriberData | None:
        """All that is stored about `chat_id`, or None when the chat never subscribed."""
        s, k, m, o, e = db.subscribers, db.keywords, db.mutes, db.outbox, db.entries
        fields = list(Subscriber.__dataclass_fields__)
        alerts = (select(o.c.created_at, o.c.status, o.c.keyword, e.c.link, o.c.sent_at)
                  .join(e, e.c.id == o.c.entry_id).where(o.c.chat_id == chat_id)
                  .order_by(o.c.id.desc()).limit(MAX_EXPORTED_ALERTS))
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(*(s.c[name] for name in fields)).where(s.c.chat_id == chat_id))).first()
            if row is None:
                return None
            keywords = (await conn.execute(select(k.c.concept, k.c.urgent).where(k.c.chat_id == chat_id)
                                           .order_by(k.c.id))).all()
            mutes = (await conn.execute(select(m.c.kind, m.c.value, m.c.until).where(m.c.chat_id == chat_id)
                                        .order_by(m.c.id))).all()
            kept = (await conn.execute(alerts)).all()
            total = int((await conn.execute(select(func.count()).select_from(o)
                                            .where(o.c.chat_id == chat_id))).scalar_one())
        return SubscriberData(
            subscriber=Subscriber(**row._asdict()),
            keywords=[KeptKeyword(Concept.from_dict(json.loads(concept)), bool(urgent))
                      for concept, urgent in keywords],
            mutes=[KeptMute(kind, value, until) for kind, value, until in mutes],
            alerts=[KeptAlert(*alert) for alert in kept], alerts_total=total)

    async def forget_subscriber(self, chat_id: int) -> bool:
        """Delete the chat's subscription, settings, keywords, mutes and alerts (with the story alerts' texts);
        False if there was none."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(db.outbox).where(db.outbox.c.chat_id == chat_id))
            await conn.execute(delete(db.story_messages).where(db.story_messages.c.chat_id == chat_id))
            await conn.execute(delete(db.keywords).where(db.keywords.c.chat_id == chat_id))
            await conn.execute(delete(db.mutes).where(db.mutes.c.chat_id == chat_id))
            removed = await conn.execute(delete(db.subscribers).where(db.subscribers.c.chat_id == chat_id))
        return (removed.rowcount or 0) > 0
