"""Groups and supergroups: only administrators change the subscription, /topic picks the forum topic that
receives alerts, and the bot leaving (removed, kicked) ends the subscription.

`ChatGuard.managers_only` wraps any handler that changes a chat's subscription or settings; in a private
chat it lets everything through. Read-only commands (/help, /keywords, /status, /latest, /test) are open
to every member.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import filters

from bot.core.interface.i18n import N_, Texts
from bot.errors import MembershipUnknown
from bot.handlers.interface import NOT_SUBSCRIBED, Context, Handler, Interface, reply
from bot.services.chats import ChatService

log = logging.getLogger(__name__)

ADMINS_ONLY = N_("Only the group's administrators can change its subscription.")
CHECK_FAILED = N_("I could not check who administers this chat; please try again in a minute.")
_GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


class AddressedToMe(filters.MessageFilter):
    """A command written for this bot by name (/cmd@this_bot): in groups, the only unknown commands answered."""

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        command = text.split(maxsplit=1)[0] if text.startswith("/") else ""
        target = command.partition("@")[2].lower()
        return bool(target) and target == (message.get_bot().username or "").lower()


class ChatGuard:
    """Lets a user change a group's subscription only if Telegram says they administer the group."""

    def __init__(self, chats: ChatService, interface: Interface) -> None:
        self.chats = chats
        self.interface = interface

    async def allowed(self, update: Update) -> bool:
        """Whether whoever sent `update` may manage its chat (raises MembershipUnknown when unsure)."""
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None:
            return False
        sender_chat = message.sender_chat.id if message is not None and message.sender_chat else None
        return await self.chats.may_manage(chat.id, chat.type, user.id if user else None, sender_chat)

    async def refusal(self, update: Update) -> str | None:
        """None when the update may go ahead; else why not, in the sender's language."""
        try:
            if await self.allowed(update):
                return None
            text = ADMINS_ONLY
        except MembershipUnknown as error:
            log.warning("could not check the administrators of a chat: %s", error)
            text = CHECK_FAILED
        t = await self.interface.texts(update)
        return t.gettext(text)

    def managers_only(self, handler: Handler) -> Handler:
        """Wrap a command so that in groups only administrators reach it; others get a short refusal."""

        async def guarded(update: Update, context: Context) -> None:
            refused = await self.refusal(update)
            if refused is None:
                await handler(update, context)
                return
            t = await self.interface.texts(update)
            await reply(update, t, refused)

        guarded.__doc__ = handler.__doc__
        return guarded


class GroupCommands:
    """/topic, and the bot's own membership changes."""

    def __init__(self, chats: ChatService, interface: Interface) -> None:
        self.chats = chats
        self.interface = interface

    async def topic(self, update: Update, context: Context) -> None:
        """In a forum group: alerts go to the topic this command was sent in (the General topic: the main chat)."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        t = await self.interface.texts(update)
        if chat.type == ChatType.PRIVATE:
            await reply(update, t, t.gettext("/topic works in groups with topics: send it in the topic that "
                                             "should receive the alerts."))
            return
        thread = message.message_thread_id if message.is_topic_message else None
        if not await self.chats.set_topic(chat.id, thread):
            await reply(update, t, t.gettext(NOT_SUBSCRIBED))
            return
        await reply(update, t, self._topic_text(t, thread))

    @staticmethod
    def _topic_text(t: Texts, thread: int | None) -> str:
        if thread is None:
            return t.gettext("Alerts will go to the main chat.")
        return t.gettext("Alerts will go to this topic.")

    async def membership(self, update: Update, context: Context) -> None:
        """The bot was added to or removed from a chat: removal ends the subscription; joining a group
        says how to subscribe it."""
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        if change.new_chat_member.status in _GONE:
            await self.chats.removed(chat.id)
            log.info("removed from chat %s: its subscription ended", chat.id)
            return
        if change.old_chat_member.status in _GONE and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            t = await self.interface.texts(update)
            hello = t.gettext("Hello! An administrator of this group can send /start@{bot} to receive alerts about "
                              "Idlib and the M4 highway here; /help@{bot} lists the commands.",
                              bot=context.bot.username)
            try:
                await context.bot.send_message(chat.id, t.layout(hello))
            except TelegramError as error:  # a group where members may not write: the greeting is a courtesy
                log.info("could not greet chat %s: %s", chat.id, error)
