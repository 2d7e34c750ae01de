"""Groups and channels as subscribers: who may manage them, connecting a channel, the bot leaving a chat.

In a group only its administrators (asked from Telegram at the time of the command) may change the
subscription; an anonymous administrator writes as the group itself. A channel is connected from a
private chat with `/connect @channel` by a user who administers it, once the bot is an administrator
there allowed to post; the user then manages it from that private chat (`/channels`), and must still
administer the channel each time. A chat that removes the bot is unsubscribed as if it had blocked it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.core.feeds.telegram_channel import channel_name
from bot.core.interface.i18n import N_
from bot.core.models import LANGUAGES, ChatInfo, Concept, Subscriber
from bot.errors import UserError
from bot.services.ports import ChatMembers, ChatStorage

PRIVATE = "private"
CHANNEL = "channel"
GROUPS = frozenset({"group", "supergroup"})


class ChatService:
    """What administrators of groups and channels can do, and what happens when the bot is removed."""

    def __init__(self, store: ChatStorage, members: ChatMembers, defaults: Sequence[Concept],
                 clock: Callable[[], datetime]) -> None:
        self.store = store
        self.members = members
        self.defaults = list(defaults)
        self.clock = clock

    async def may_manage(self, chat_id: int, chat_type: str, user_id: int | None,
                         sender_chat_id: int | None = None) -> bool:
        """Whether this user may change the chat's subscription: anyone in a private chat, administrators
        elsewhere (a message sent as the group itself comes from an anonymous administrator)."""
        if chat_type == PRIVATE:
            return True
        if sender_chat_id is not None and sender_chat_id == chat_id:
            return True
        return user_id is not None and await self.members.is_admin(chat_id, user_id)

    async def connect(self, owner_id: int, handle: str, language: str) -> tuple[ChatInfo, bool]:
        """Connect the channel `handle` (@name or a t.me link) to `owner_id`; True when newly subscribed."""
        name = channel_name(handle)
        if name is None:
            raise UserError(N_("write the channel's public name, e.g. {example}"), example="@my_channel")
        chat = await self.members.find_chat(name)
        if chat is None:
            raise UserError(N_("I cannot see @{name}: add me to the channel as an administrator first"),
                                    name=name)
        if chat.type != CHANNEL:
            raise UserError(N_("@{name} is not a channel (add me to a group and send /start there)"),
                                    name=name)
        if not await self.members.is_admin(chat.id, owner_id):
            raise UserError(N_("only an administrator of @{name} can connect it"), name=name)
        if not await self.members.bot_can_post(chat.id):
            raise UserError(N_("make me an administrator of @{name} who may post messages, then try again"),
                                    name=name)
        created = await self.store.subscribe(chat.id, language, self.defaults, self.clock(), chat_type=CHANNEL,
                                             owner_id=owner_id, title=chat.title)
        return chat, created

    async def channels(self, owner_id: int) -> list[Subscriber]:
        """The channels `owner_id` connected and still receive alerts."""
        return await self.store.owned_channels(owner_id)

    async def managed_channel(self, owner_id: int, channel_id: int) -> Subscriber:
        """A channel `owner_id` connected and still administers; UserError otherwise."""
        channel = next((c for c in await self.store.owned_channels(owner_id) if c.chat_id == channel_id), None)
        if channel is None:
            raise UserError(N_("that channel is not connected to you any more; /channels lists yours"))
        if not await self.members.is_admin(channel_id, owner_id):
            raise UserError(N_("you are no longer an administrator of that channel"))
        return channel

    async def channel_named(self, owner_id: int, handle: str) -> Subscriber:
        """The connected channel @`handle` of `owner_id`, who must still administer it; UserError otherwise."""
        name = channel_name(handle)
        chat = await self.members.find_chat(name) if name else None
        if chat is None:
            raise UserError(N_("that channel is not connected to you any more; /channels lists yours"))
        return await self.managed_channel(owner_id, chat.id)

    async def set_channel_language(self, owner_id: int, channel_id: int, language: str) -> None:
        """Translate the channel's alerts into `language`."""
        if language not in LANGUAGES:
            raise UserError(N_("unknown language “{code}”"), code=language)
        await self.managed_channel(owner_id, channel_id)
        await self.store.set_language(channel_id, language, self.clock())

    async def disconnect(self, owner_id: int, channel_id: int) -> None:
        """Stop the channel's alerts (its pending ones are cancelled)."""
        await self.managed_channel(owner_id, channel_id)
        await self.store.unsubscribe(channel_id, self.clock())

    async def set_topic(self, chat_id: int, thread_id: int | None) -> bool:
        """Send a subscribed group's alerts to forum topic `thread_id` (None: the main chat); False if the
        group is not subscribed."""
        subscriber = await self.store.get_subscriber(chat_id)
        if subscriber is None or not subscriber.active:
            return False
        return await self.store.set_topic(chat_id, thread_id, self.clock())

    async def removed(self, chat_id: int) -> None:
        """The bot was removed from (or left) the chat: end its subscription, cancelling what is queued."""
        await self.store.deactivate(chat_id, "the bot was removed from the chat", self.clock())
