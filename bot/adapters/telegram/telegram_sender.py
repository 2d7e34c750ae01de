"""Sending and editing messages through python-telegram-bot, with Telegram's errors mapped onto ours.

An edit Telegram refuses for the message itself (not found, deleted, no longer editable) becomes
`EditRefused`, so the caller can thread a reply to the message instead; "message is not modified" means the
message shows that text already (an edit repeated after a crash) and counts as done.

The delivery service takes each alert's slot from the process's pacer itself, so with an `ExtBot` a new
message is marked `ALREADY_PACED` and the bot's rate limiter (bot/adapters/telegram/rate_limiter.py)
lets it straight through; a 429 comes back here as `FloodWait` and the alert stays in the outbox. Edits
are paced by the rate limiter like any other request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.adapters.telegram.rate_limiter import ALREADY_PACED, retry_after_seconds
from bot.core.interface.alert_buttons import Keyboard
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    EditRefused,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
    TopicGone,
)

_TOPIC_GONE = ("message thread not found", "topic_closed", "topic_deleted", "topic was deleted")
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked", "peer_id_invalid",
         "have no rights to send", "not enough rights", "group chat was deactivated")
_NOT_EDITABLE = ("message to edit not found", "message can't be edited", "message_id_invalid",
                 "message to be edited not found")
_ALREADY_SHOWN = "message is not modified"
"""An edit to the text the message shows already: done (an edit repeated after a crash lands here)."""
T = TypeVar("T")


def inline_keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for button descriptions (None for none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.caption, url=b.url, callback_data=b.data) for b in row]
                                 for row in buttons])


class TelegramSender:
    """Sends one alert (already paced by the caller) or edits one message (paced by the rate limiter)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, text: str, *, html: bool = True, silent: bool = False,
                   buttons: Keyboard = (), thread_id: int | None = None, reply_to: int | None = None) -> int | None:
        """Send (into forum topic `thread_id`, as a reply to `reply_to` if it still exists) and return
        Telegram's message id, or raise a bot.errors.SendError subclass."""
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to is not None else None
        options: dict[str, Any] = {
            "chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML if html else None,
            "link_preview_options": LinkPreviewOptions(is_disabled=True), "disable_notification": silent,
            "reply_markup": inline_keyboard(buttons), "message_thread_id": thread_id, "reply_parameters": reply}
        if isinstance(self.bot, ExtBot):
            options["rate_limit_args"] = ALREADY_PACED
        message = await _mapped(lambda: self.bot.send_message(**options), topic=thread_id is not None)
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, *, html: bool = True,
                   buttons: Keyboard = ()) -> None:
        """Replace the text (and buttons) of a message the bot sent (a message that shows them already counts
        as edited); raise EditRefused when Telegram will not edit that message, or another SendError."""
        try:
            await _mapped(lambda: self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML if html else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True), reply_markup=inline_keyboard(buttons),
            ))
        except PermanentSendError as error:
            reason = str(error).lower()
            if _ALREADY_SHOWN in reason:
                return
            if any(refusal in reason for refusal in _NOT_EDITABLE):
                raise EditRefused(str(error)) from error
            raise


async def _mapped(call: Callable[[], Awaitable[T]], *, topic: bool = False) -> T:
    """The result of a Bot API call, its errors mapped onto bot.errors (`topic`: the call used a forum topic)."""
    try:
        return await call()
    except RetryAfter as error:
        raise FloodWait(retry_after_seconds(error)) from error
    except Forbidden as error:
        raise ChatUnavailable(error.message) from error
    except ChatMigrated as error:
        raise ChatMoved(int(error.new_chat_id)) from error
    except BadRequest as error:
        lowered = error.message.lower()
        if "can't parse entities" in lowered or "can't find end" in lowered:
            raise MarkupRejected(error.message) from error
        if topic and any(reason in lowered for reason in _TOPIC_GONE):
            raise TopicGone(error.message) from error
        if any(reason in lowered for reason in _GONE):
            raise ChatUnavailable(error.message) from error
        raise PermanentSendError(error.message) from error
    except (TimedOut, NetworkError) as error:
        raise TemporarySendError(str(error) or type(error).__name__) from error
    except TelegramError as error:
        raise PermanentSendError(str(error)) from error
