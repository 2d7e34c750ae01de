"""Groups, supergroups and channels for the fake Bot API: who is in them and with what rights.

``FakeChats`` answers ``getChat`` (by id or ``@username``), ``getChatMember`` and
``getChatAdministrators`` as the Bot API does (the objects python-telegram-bot 22 requires, every
mandatory field present), and builds the JSON of group messages and ``my_chat_member`` updates. Tests
declare chats with ``add_group`` / ``add_channel`` and people with ``set_member(chat_id, user_id,
status)``; the bot itself is a member of every chat declared, an administrator where ``bot_admin``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
                "can_edit_stories", "can_delete_stories")


class ChatApiError(Exception):
    """What the Bot API would answer with an error: ``error_code`` and ``description``."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description


@dataclass
class FakeChat:
    id: int
    type: str
    title: str
    username: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    """user id -> status: creator, administrator, member, left, kicked."""
    bot_can_post: bool = True

    def json(self) -> JSON:
        chat: JSON = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            chat["username"] = self.username
        if self.is_forum:
            chat["is_forum"] = True
        return chat


def user_json(user_id: int, *, is_bot: bool = False, username: str | None = None) -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": f"User{user_id}", "language_code": "en"}
    if username:
        user["username"] = username
    return user


class FakeChats:
    """The groups and channels the fake Bot API knows, keyed by chat id."""

    def __init__(self, bot_user: JSON) -> None:
        self.bot_user = bot_user
        self.chats: dict[int, FakeChat] = {}

    def add_group(self, chat_id: int, title: str = "Newsroom", *, forum: bool = False) -> FakeChat:
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = self.chats[chat_id] = FakeChat(chat_id, kind, title, is_forum=forum)
        chat.members[self.bot_user["id"]] = "member"
        return chat

    def add_channel(self, chat_id: int, username: str, title: str, *, bot_admin: bool = True,
                    bot_can_post: bool = True) -> FakeChat:
        chat = self.chats[chat_id] = FakeChat(chat_id, "channel", title, username, bot_can_post=bot_can_post)
        chat.members[self.bot_user["id"]] = "administrator" if bot_admin else "member"
        return chat

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        self.chats[chat_id].members[user_id] = status

    # -- Bot API methods -------------------------------------------------------------------------------
    def answer(self, method: str, params: JSON) -> Any:
        chat = self._find(params.get("chat_id"))
        if method == "getchat":
            return {**chat.json(), "accent_color_id": 0, "max_reaction_count": 11,
                    "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                            "premium_subscription": False, "gifts_from_channels": False}}
        if method == "getchatadministrators":
            return [self.member_json(chat, user_id) for user_id, status in chat.members.items()
                    if status in ("creator", "administrator")]
        user_id = int(params.get("user_id") or 0)
        if user_id not in chat.members:
            raise ChatApiError(400, "Bad Request: user not found")
        return self.member_json(chat, user_id)

    def _find(self, chat_id: Any) -> FakeChat:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            found = next((c for c in self.chats.values() if (c.username or "").lower() == chat_id[1:].lower()), None)
        else:
            found = self.chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if found is None or self.bot_user["id"] not in found.members or \
                found.members[self.bot_user["id"]] in ("left", "kicked"):
            raise ChatApiError(400, "Bad Request: chat not found")
        return found

    def member_json(self, chat: FakeChat, user_id: int, status: str | None = None) -> JSON:
        status = status or chat.members.get(user_id, "left")
        is_bot = user_id == self.bot_user["id"]
        member: JSON = {"status": status, "user": self.bot_user if is_bot else user_json(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update({right: True for right in ADMIN_RIGHTS}, can_be_edited=False, is_anonymous=False)
            if chat.type == "channel":
                member["can_post_messages"] = chat.bot_can_post if is_bot else True
        elif status == "kicked":
            member["until_date"] = 0
        return member

    # -- updates ---------------------------------------------------------------------------------------
    def message(self, chat_id: int, user_id: int, text: str, message_id: int, *, thread_id: int | None = None,
                anonymous: bool = False) -> JSON:
        """A text message written in a group (as the group itself when `anonymous`)."""
        chat = self.chats[chat_id]
        message: JSON = {"message_id": message_id, "date": int(time.time()), "chat": chat.json(),
                         "from": user_json(user_id), "text": text}
        if anonymous:
            message["from"] = user_json(1087968824, is_bot=True, username="GroupAnonymousBot")
            message["sender_chat"] = chat.json()
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    def bot_status_change(self, chat_id: int, by_user: int, new_status: str) -> JSON:
        """The my_chat_member update Telegram sends when someone adds or removes the bot."""
        chat = self.chats[chat_id]
        bot_id = self.bot_user["id"]
        old = self.member_json(chat, bot_id)
        chat.members[bot_id] = new_status
        return {"chat": chat.json(), "from": user_json(by_user), "date": int(time.time()),
                "old_chat_member": old, "new_chat_member": self.member_json(chat, bot_id, new_status)}
