"""Group and channel storage: the forum topic a group receives alerts in, and the channels a user manages.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). Subscribing a group or
a channel goes through `SubscriberStore.subscribe` (with its chat type and owner); leaving goes through
`deactivate`, as for a private chat that blocked the bot.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, true, update

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.models import Subscriber


class ChatStore(StoreBase):
    """Forum topics and channel owners."""

    async def set_topic(self, chat_id: int, thread_id: int | None, now: datetime) -> bool:
        """Send the chat's alerts to forum topic `thread_id` (None: the main chat); False if it never subscribed."""
        s = db.subscribers
        async with self._engine.begin() as conn:
            stmt = update(s).where(s.c.chat_id == chat_id).values(thread_id=thread_id, updated_at=now)
            return (await conn.execute(stmt)).rowcount > 0

    async def owned_channels(self, owner_id: int) -> list[Subscriber]:
        """The active channels `owner_id` connected, in the order they were connected."""
        s = db.subscribers
        fields = list(Subscriber.__dataclass_fields__)
        query = (select(*(s.c[name] for name in fields))
                 .where(s.c.owner_id == owner_id, s.c.chat_type == "channel", s.c.active == true())
                 .order_by(s.c.created_at, s.c.chat_id))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Subscriber(**row._asdict()) for row in rows]
