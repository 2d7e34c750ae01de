"""The language each update is answered in, and replies sent in it.

A subscriber's own choice (/language, /settings) wins; otherwise the Telegram app's language_code
decides (ar, tr, ru, en; anything else gets English). Every reply goes through `Texts.layout`, so
Arabic lines read right to left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core.interface.i18n import N_, Texts, interface_language
from bot.errors import UserError
from bot.i18n import Catalogues

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
"""What python-telegram-bot calls for an update."""
NOT_SUBSCRIBED = N_("You are not subscribed. Send /start to subscribe.")


def argument(context: Context) -> str:
    """Everything after the command, as typed."""
    return " ".join(context.args or []).strip()


class LanguageChoices(Protocol):
    """Where a chat's chosen interface language is kept (bot.services.subscriptions.SubscriptionService)."""

    async def interface_language(self, chat_id: int) -> str | None: ...


class Interface:
    """Finds the interface language of an update and replies in it."""

    def __init__(self, catalogues: Catalogues, choices: LanguageChoices) -> None:
        self.catalogues = catalogues
        self.choices = choices

    async def texts(self, update: Update) -> Texts:
        """The interface texts for whoever sent `update`."""
        chat = update.effective_chat
        stored = await self.choices.interface_language(chat.id) if chat else None
        user = update.effective_user
        return self.catalogues.texts(interface_language(stored, user.language_code if user else None))

    def for_language(self, lang: str) -> Texts:
        """The interface texts of `lang` (after a change of language)."""
        return self.catalogues.texts(lang)


def reason(t: Texts, error: UserError) -> str:
    """Why a request was refused, in the interface language (the error's key translated, never its English)."""
    return t.gettext(error.key, **error.params)


async def reply(update: Update, t: Texts, text: str, *, html: bool = False,
                keyboard: InlineKeyboardMarkup | None = None, **options: Any) -> None:
    """Answer in the chat the update came from, laid out for the interface language."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(t.layout(text), parse_mode=ParseMode.HTML if html else None,
                                              reply_markup=keyboard, **options)


async def edit(update: Update, t: Texts, text: str, *, html: bool = False,
               keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Replace the message whose button was pressed; an unchanged or no longer editable message is left alone."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(t.layout(text), parse_mode=ParseMode.HTML if html else None,
                                      reply_markup=keyboard)
    except BadRequest as error:  # "message is not modified", "message can't be edited", ...
        log.debug("could not edit the message of a button: %s", error)
