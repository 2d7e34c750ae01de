"""Sending alerts through python-telegram-bot, with Telegram's errors mapped onto ours.

The delivery service takes each alert's slot from the process's pacer itself, so with an `ExtBot` the
request is marked `ALREADY_PACED` and the bot's rate limiter (bot/adapters/telegram/rate_limiter.py)
lets it straight through; a 429 comes back here as `FloodWait` and the alert stays in the outbox.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.adapters.telegram.rate_limiter import ALREADY_PACED, retry_after_seconds
from bot.core.interface.alert_buttons import Keyboard
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
    TopicGone,
)

_TOPIC_GONE = ("message thread not found", "topic_closed", "topic_deleted", "topic was deleted")
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked", "peer_id_invalid",
         "have no rights to send", "not enough rights", "group chat was deactivated")


def inline_keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for button descriptions (None for none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.caption, url=b.url, callback_data=b.data) for b in row]
                                 for row in buttons])


class TelegramSender:
    """Sends one alert, already paced by the caller."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, text: str, *, html: bool = True, silent: bool = False,
                   buttons: Keyboard = (), thread_id: int | None = None) -> int | None:
        """Send (into forum topic `thread_id`, if any) and return Telegram's message id, or raise a
        bot.errors.SendError subclass."""
        options: dict[str, Any] = {
            "chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML if html else None,
            "link_preview_options": LinkPreviewOptions(is_disabled=True), "disable_notification": silent,
            "reply_markup": inline_keyboard(buttons), "message_thread_id": thread_id}
        if isinstance(self.bot, ExtBot):
            options["rate_limit_args"] = ALREADY_PACED
        try:
            message = await self.bot.send_message(**options)
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
            if thread_id is not None and any(reason in lowered for reason in _TOPIC_GONE):
                raise TopicGone(error.message) from error
            if any(reason in lowered for reason in _GONE):
                raise ChatUnavailable(error.message) from error
            raise PermanentSendError(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise TemporarySendError(str(error) or type(error).__name__) from error
        except TelegramError as error:
            raise PermanentSendError(str(error)) from error
        return message.message_id
