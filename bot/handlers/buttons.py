"""Inline buttons: the keyword list with its remove buttons, and the one handler every button press reaches.

Callback data is parsed and validated first (bot/core/interface/callbacks.py); a stale, forged or foreign button
changes nothing and is answered with a short note in the user's language. Every press is answered
exactly once, so the button never keeps spinning.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core.interface import callbacks
from bot.core.interface.formatting import shorten
from bot.core.interface.i18n import Texts
from bot.core.matching.keyword_view import keywords_text
from bot.core.models import Concept
from bot.errors import UserError
from bot.handlers.alert_buttons import AlertButtons
from bot.handlers.channels import ChannelCommands
from bot.handlers.groups import ChatGuard
from bot.handlers.interface import Context, Interface, edit, reason
from bot.handlers.settings import SettingsMenu
from bot.services.subscriptions import SubscriptionService

log = logging.getLogger(__name__)

MAX_KEYWORD_BUTTONS = 90
"""Telegram allows 100 buttons per message."""


def keyword_list(keywords: list[tuple[int, Concept]], t: Texts) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /keywords text and its keyboard: one remove button per keyword."""
    if not keywords:
        return t.gettext("You follow no keywords. Add one with /add <term>."), None
    rows = [
        [InlineKeyboardButton(t.gettext("✖ Remove “{label}”", label=shorten(concept.label, 40)),
                              callback_data=callbacks.make(callbacks.KEYWORD_REMOVE, keyword_id))]
        for keyword_id, concept in keywords[:MAX_KEYWORD_BUTTONS]
    ]
    return keywords_text([concept for _, concept in keywords], t), InlineKeyboardMarkup(rows)


class Buttons:
    """Handles every button press."""

    def __init__(self, subscriptions: SubscriptionService, interface: Interface, menu: SettingsMenu,
                 alerts: AlertButtons | None = None, channels: ChannelCommands | None = None,
                 guard: ChatGuard | None = None) -> None:
        self.subscriptions = subscriptions
        self.interface = interface
        self.menu = menu
        self.alerts = alerts
        self.channels = channels
        self.guard = guard

    async def press(self, update: Update, context: Context) -> None:
        """Route a press by its validated callback data; answer it in every case."""
        query = update.callback_query
        if query is None:
            return
        t = await self.interface.texts(update)
        pressed = callbacks.parse(query.data)
        chat = update.effective_chat
        note: str | None
        if pressed is None or chat is None or not self._where_it_belongs(chat.type, pressed.action):
            log.info("ignored a button with invalid data %r", (query.data or "")[:80])
            note = t.gettext("This button is no longer valid. Send /settings or /keywords again.")
        elif chat.type != ChatType.PRIVATE and (refused := await self._refusal(update)):
            note = refused
        elif pressed.action in callbacks.CHANNEL_ACTIONS and self.channels is not None:
            note = await self.channels.press(update, t, pressed)
        elif pressed.action == callbacks.KEYWORD_REMOVE:
            note = await self.remove_keyword(update, t, chat.id, pressed.number)
        elif pressed.action in callbacks.ALERT_ACTIONS and self.alerts is not None:
            note = await self.alerts.press(update, t, chat.id, pressed)
        elif pressed.action == callbacks.MENU:
            note = await self.menu.open_page(update, t, pressed.args[0])
        elif pressed.action == callbacks.SET:
            note = await self.menu.choose(update, t, *pressed.args)
        else:
            note = t.gettext("This button is no longer valid. Send /settings or /keywords again.")
        await query.answer(t.layout(note) if note else None)

    def _where_it_belongs(self, chat_type: str, action: str) -> bool:
        """Private chats take every button; groups only the settings and keyword buttons (for administrators);
        alert buttons never reach a group or channel (see bot.core.interface.alert_buttons)."""
        if chat_type == ChatType.PRIVATE:
            return True
        return self.guard is not None and chat_type in (ChatType.GROUP, ChatType.SUPERGROUP) and action in (
            callbacks.KEYWORD_REMOVE, callbacks.MENU, callbacks.SET)

    async def _refusal(self, update: Update) -> str | None:
        return await self.guard.refusal(update) if self.guard is not None else None

    async def remove_keyword(self, update: Update, t: Texts, chat_id: int, keyword_id: int) -> str:
        """Remove the keyword of a button, show the list that remains, and say what happened."""
        try:
            removed = await self.subscriptions.remove_by_id(chat_id, keyword_id)
        except UserError as error:
            note = t.gettext("Not removed: {reason}.", reason=reason(t, error))
        else:
            note = t.gettext("Removed “{label}”.", label=removed.label)
        text, keyboard = keyword_list(await self.subscriptions.keywords_with_ids(chat_id), t)
        await edit(update, t, text, keyboard=keyboard)
        return note
