"""The buttons under an alert: mute its keyword or source for a day, show the original or the translation.

Called by bot/handlers/buttons.py once the callback data is validated; the alert must have been sent
to the chat that pressed (anything else is answered as a stale button and changes nothing).
"""

from __future__ import annotations

import html

from telegram import Update

from bot.adapters.telegram.telegram_sender import inline_keyboard
from bot.core.interface import callbacks
from bot.core.interface.alert_buttons import MUTE_HOURS, alert_keyboard
from bot.core.interface.callbacks import Callback
from bot.core.interface.formatting import fit
from bot.core.interface.i18n import Texts
from bot.core.models import AlertDetails
from bot.errors import UserError
from bot.handlers.interface import edit, reason
from bot.services.preferences import PreferenceService


def original_text(alert: AlertDetails, t: Texts) -> str:
    """The alert's item as published: source, original title and summary, link."""
    lines = [f"📄 {t.isolate(html.escape(alert.source))}", "", f"<b>{t.isolate(html.escape(alert.title))}</b>"]
    if alert.summary:
        lines.append(t.isolate(html.escape(alert.summary[:1500])))
    if alert.link:
        lines += ["", t.ltr(html.escape(alert.link))]
    return fit("\n".join(lines))


class AlertButtons:
    """Handles presses on the buttons under alerts."""

    def __init__(self, preferences: PreferenceService) -> None:
        self.preferences = preferences

    async def press(self, update: Update, t: Texts, chat_id: int, pressed: Callback) -> str | None:
        """Do what the button says; returns the note to show, or None."""
        try:
            if pressed.action in (callbacks.MUTE_KEYWORD, callbacks.MUTE_SOURCE):
                kind = "keyword" if pressed.action == callbacks.MUTE_KEYWORD else "source"
                alert, _ = await self.preferences.mute_from_alert(chat_id, pressed.number, kind)
                if kind == "keyword":
                    return t.gettext("Muted this keyword for {hours} h. /unmute lifts it.", hours=MUTE_HOURS)
                return t.gettext("Muted {source} for {hours} h. /unmute lifts it.", source=alert.source,
                                 hours=MUTE_HOURS)
            alert = await self.preferences.alert(chat_id, pressed.number)
        except UserError as error:
            return reason(t, error)
        original = pressed.action == callbacks.SHOW_ORIGINAL
        keyboard = alert_keyboard(alert.outbox_id, link=alert.link, source=alert.source, t=t, translated=True,
                                  showing_original=original)
        text = original_text(alert, t) if original else alert.text
        await edit(update, t, text, html=True, keyboard=inline_keyboard(keyboard))
        return None
