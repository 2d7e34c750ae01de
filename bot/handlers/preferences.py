"""Commands for when and how alerts arrive: /quiet /digest /timezone /urgent /unmute.

The same settings are in the /settings menu as buttons; these commands take any value (any quiet
window, any IANA time zone) and name a keyword to mark urgent. Replies are in the interface language.
"""

from __future__ import annotations

from telegram import Update

from bot.core.interface.i18n import Texts
from bot.errors import UserError
from bot.handlers.interface import Context, Interface, argument, reason, reply
from bot.services.preferences import PreferenceService


class PreferenceCommands:
    """Handlers for delivery preferences."""

    def __init__(self, preferences: PreferenceService, interface: Interface) -> None:
        self.preferences = preferences
        self.interface = interface

    async def quiet(self, update: Update, context: Context) -> None:
        """/quiet 23-7 [silent|hold] or /quiet off: quiet hours in my time zone."""
        chat, t = await self._begin(update)
        if chat is None:
            return
        words = argument(context).split()
        if not words:
            await reply(update, t, t.gettext("Usage: /quiet 23-7 (hours in your time zone), then optionally "
                                             "silent or hold; /quiet off"))
            return
        try:
            label = await self.preferences.set_quiet(chat, words)
        except UserError as error:
            await reply(update, t, reason(t, error))
            return
        if label is None:
            await reply(update, t, t.gettext("Quiet hours are off."))
        else:
            await reply(update, t, t.gettext("Quiet hours: {hours} in your time zone. Change what they do in "
                                             "/settings, or mark a keyword urgent with /urgent.", hours=label))

    async def digest(self, update: Update, context: Context) -> None:
        """/digest off|hourly|daily."""
        chat, t = await self._begin(update)
        if chat is None:
            return
        mode = argument(context).lower()
        try:
            await self.preferences.set_digest(chat, mode)
        except UserError as error:
            await reply(update, t, reason(t, error))
            return
        texts = {"off": t.gettext("Digest off: every alert comes as it happens."),
                 "hourly": t.gettext("Hourly digest: one message an hour with what matched."),
                 "daily": t.gettext("Daily digest: one message a day at 08:00 in your time zone.")}
        await reply(update, t, texts[mode])

    async def timezone(self, update: Update, context: Context) -> None:
        """/timezone Asia/Damascus."""
        chat, t = await self._begin(update)
        if chat is None:
            return
        wanted = argument(context)
        if not wanted:
            await reply(update, t, t.gettext("Usage: /timezone Asia/Damascus (or Europe/Istanbul, Europe/Moscow, "
                                             "UTC...)"))
            return
        try:
            name = await self.preferences.set_time_zone(chat, wanted)
        except UserError as error:
            await reply(update, t, reason(t, error))
            return
        await reply(update, t, t.gettext("Time zone: {zone}.", zone=name))

    async def urgent(self, update: Update, context: Context) -> None:
        """/urgent <keyword>: alerts for it ignore quiet hours and digests (again to undo)."""
        chat, t = await self._begin(update)
        if chat is None:
            return
        term = argument(context)
        if not term:
            await reply(update, t, t.gettext("Usage: /urgent <keyword>, for example /urgent Idlib"))
            return
        try:
            concept, urgent = await self.preferences.toggle_urgent(chat, term)
        except UserError as error:
            await reply(update, t, reason(t, error))
            return
        if urgent:
            text = t.gettext("“{label}” is urgent: its alerts ring even in quiet hours and skip digests.",
                             label=concept.label)
        else:
            text = t.gettext("“{label}” is no longer urgent.", label=concept.label)
        await reply(update, t, text)

    async def unmute(self, update: Update, context: Context) -> None:
        """/unmute: lift every mute set with the buttons under alerts."""
        chat, t = await self._begin(update)
        if chat is None:
            return
        try:
            count = await self.preferences.unmute_all(chat)
        except UserError as error:
            await reply(update, t, reason(t, error))
            return
        await reply(update, t, t.ngettext("{count} mute lifted.", "{count} mutes lifted.", count))

    async def _begin(self, update: Update) -> tuple[int | None, Texts]:
        t = await self.interface.texts(update)
        return (update.effective_chat.id if update.effective_chat else None), t
