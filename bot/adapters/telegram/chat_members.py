"""Asking Telegram who administers a group or channel, and what a public @name is (getChat, getChatMember).

Checked at the time of each command, never cached: administrators change. An answer Telegram refuses
(user or chat not found, the bot not a member) means "no"; a network error raises MembershipUnknown,
so the user is asked to try again instead of being told they are not an administrator.
"""

from __future__ import annotations

from telegram import Bot, ChatMemberAdministrator
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.models import ChatInfo
from bot.errors import MembershipUnknown

_ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


class TelegramChatMembers:
    """The ChatMembers port over python-telegram-bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """Whether `user_id` is the owner or an administrator of `chat_id`."""
        try:
            member = await self.bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden):
            return False
        except TelegramError as error:
            raise MembershipUnknown(str(error)) from error
        return member.status in _ADMINS

    async def bot_can_post(self, chat_id: int) -> bool:
        """Whether the bot is an administrator of `chat_id` allowed to post messages."""
        try:
            member = await self.bot.get_chat_member(chat_id, self.bot.id)
        except (BadRequest, Forbidden):
            return False
        except TelegramError as error:
            raise MembershipUnknown(str(error)) from error
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)

    async def find_chat(self, username: str) -> ChatInfo | None:
        """The chat called @`username`, or None when Telegram does not know it (or will not show it to us)."""
        try:
            chat = await self.bot.get_chat(f"@{username}")
        except (BadRequest, Forbidden):
            return None
        except TelegramError as error:
            raise MembershipUnknown(str(error)) from error
        return ChatInfo(id=chat.id, type=str(chat.type), title=chat.title or username, username=chat.username)
