"""/export and /forget: a subscriber's own data, sent as a file or deleted; `/export feeds` is the admins' OPML."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.core.interface.i18n import N_
from bot.handlers.interface import Context, Handler, Interface, argument, reply
from bot.services.privacy import PrivacyService

CONFIRM = "confirm"
FORGET_WARNING = N_("This deletes your subscription, keywords, settings, mutes and the record of your alerts, "
                    "at once and for good. Send /forget confirm to go ahead.")


class PrivacyCommands:
    """What a subscriber can do with the data the bot keeps about their chat."""

    def __init__(self, privacy: PrivacyService, interface: Interface, export_feeds: Handler) -> None:
        """`export_feeds`: the admins' `/export feeds` (already restricted to admins)."""
        self.privacy = privacy
        self.interface = interface
        self.export_feeds = export_feeds

    async def export(self, update: Update, context: Context) -> None:
        """Send the chat's data as a JSON file (`/export feeds`: the feed list, for admins)."""
        if argument(context).lower() == "feeds":
            await self.export_feeds(update, context)
            return
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        t = await self.interface.texts(update)
        document = await self.privacy.export(chat.id)
        if document is None:
            await reply(update, t, t.gettext("I keep nothing about this chat."))
            return
        await message.reply_document(InputFile(document, filename="my-data.json"), caption=t.layout(
            t.gettext("Everything I keep about this chat. /forget deletes it.")))

    async def forget(self, update: Update, context: Context) -> None:
        """Delete everything about the chat, after `/forget confirm`."""
        chat = update.effective_chat
        if chat is None:
            return
        t = await self.interface.texts(update)
        if argument(context).lower() != CONFIRM:
            await reply(update, t, t.gettext(FORGET_WARNING))
            return
        forgotten = await self.privacy.forget(chat.id)
        await reply(update, t, t.gettext("Done: I no longer keep anything about this chat. /start subscribes you "
                                         "again from scratch.") if forgotten
                    else t.gettext("I keep nothing about this chat."))
