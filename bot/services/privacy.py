"""A subscriber's own data: `/export` sends them everything the bot keeps about their chat, `/forget` deletes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.core.privacy import SubscriberData, export_document


class PrivacyStore(Protocol):
    """Reading and deleting one chat's data (bot.adapters.storage.privacy_store)."""

    async def subscriber_data(self, chat_id: int) -> SubscriberData | None: ...
    async def forget_subscriber(self, chat_id: int) -> bool: ...


class PrivacyService:
    """Export and deletion of one chat's data."""

    def __init__(self, store: PrivacyStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def export(self, chat_id: int) -> bytes | None:
        """The chat's data as a JSON document, or None when the bot keeps nothing about it."""
        data = await self.store.subscriber_data(chat_id)
        return None if data is None else export_document(data, self.clock())

    async def forget(self, chat_id: int) -> bool:
        """Delete everything kept about the chat; False when there was nothing."""
        return await self.store.forget_subscriber(chat_id)
