"""Admin commands: /feeds, /addfeed, /removefeed, /import and /export feeds (OPML); everyone else gets a
clear refusal."""

from __future__ import annotations

from collections.abc import Collection

from telegram import InputFile, LinkPreviewOptions, Update

from bot.adapters.config_files import validate_feed
from bot.core.feeds.opml import MAX_OPML_BYTES, OpmlError, language_code
from bot.core.interface.formatting import pack_lines, shorten
from bot.core.interface.i18n import Texts
from bot.core.models import LANGUAGES
from bot.errors import FeedError
from bot.handlers.interface import Context, Handler, Interface, argument, reply
from bot.services.feeds import FeedAdminService, ImportReport

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class AdminCommands:
    """Handlers that only ADMIN_IDS may use."""

    def __init__(self, feeds: FeedAdminService, admin_ids: Collection[int], interface: Interface) -> None:
        self.service = feeds
        self.admin_ids = frozenset(admin_ids)
        self.interface = interface

    def only_admins(self, handler: Handler) -> Handler:
        """Wrap a handler so that non-admins get a refusal and nothing changes."""

        async def guarded(update: Update, context: Context) -> None:
            user = update.effective_user
            if user is None or user.id not in self.admin_ids:
                t = await self.interface.texts(update)
                await reply(update, t, t.gettext("Sorry, this command is for the bot's admins only."))
                return
            await handler(update, context)

        guarded.__doc__ = handler.__doc__
        return guarded

    async def feeds(self, update: Update, context: Context) -> None:
        """Show the health of every feed."""
        if not update.effective_message:
            return
        messages = await self.service.health_messages()
        if not messages:
            t = await self.interface.texts(update)
            await reply(update, t, t.gettext("No feeds. Add one with /addfeed <url> <lang> [name]."))
            return
        for text in messages:
            await update.effective_message.reply_text(text, link_preview_options=NO_PREVIEW)

    async def addfeed(self, update: Update, context: Context) -> None:
        """Check a feed URL and start scanning it."""
        if not update.effective_message:
            return
        t = await self.interface.texts(update)
        args = context.args or []
        if len(args) < 2:
            await reply(update, t, t.gettext("Usage: /addfeed <url> <lang: ar|tr|ru|en> [name]"))
            return
        url, lang = args[0], args[1].lower()
        name = " ".join(args[2:]).strip() or url
        try:
            feed = validate_feed(shorten(name, 100), url, lang)
        except ValueError as error:
            await reply(update, t, t.gettext("Not added: {reason}.", reason=str(error)))
            return
        try:
            stored, count = await self.service.add(feed)
        except FeedError as error:
            await reply(update, t, t.gettext("Not added: {url} is not a usable feed ({error}).", url=url,
                                             error=str(error)))
            return
        await reply(update, t, t.gettext("Added “{name}” ({count} items now); it is scanned from the next cycle on.",
                                         name=stored.name, count=count))

    async def removefeed(self, update: Update, context: Context) -> None:
        """Stop scanning a feed."""
        if not update.effective_message:
            return
        t = await self.interface.texts(update)
        target = argument(context)
        if not target:
            await reply(update, t, t.gettext("Usage: /removefeed <name or url>"))
            return
        removed = await self.service.remove(target)
        await reply(update, t, t.gettext("Removed “{label}”.", label=target) if removed
                    else t.gettext("No active feed is called “{name}”; /feeds lists them.", name=target))

    async def export_feeds(self, update: Update, context: Context) -> None:
        """Send every active feed as an OPML file."""
        if not update.effective_message:
            return
        t = await self.interface.texts(update)
        document = await self.service.export_opml()
        count = len(await self.service.feeds())
        await update.effective_message.reply_document(InputFile(document, filename="feeds.opml"), caption=t.layout(
            t.ngettext("{count} feed, as OPML. Send the file back with the caption /import to add it.",
                       "{count} feeds, as OPML. Send the file back with the caption /import to add them.",
                       count)))

    async def import_help(self, update: Update, context: Context) -> None:
        """Say how to import: /import is the caption of an OPML file."""
        t = await self.interface.texts(update)
        await reply(update, t, t.gettext("Send an OPML file (a feed reader's export) as a document with the caption "
                                         "/import, or /import <lang> to give feeds without a language one."))

    async def import_document(self, update: Update, context: Context) -> None:
        """Add the feeds of the OPML file this message carries (its caption is /import [lang])."""
        message = update.effective_message
        if message is None or message.document is None:
            return
        t = await self.interface.texts(update)
        words = (message.caption or "").split()
        default_lang = language_code(words[1]) if len(words) > 1 else None
        if default_lang is not None and default_lang not in LANGUAGES:
            await reply(update, t, t.gettext("Usage: /import <lang: ar|tr|ru|en>, as the caption of an OPML file"))
            return
        if (message.document.file_size or 0) > MAX_OPML_BYTES:
            await reply(update, t, t.gettext("Not imported: the file is larger than {limit} kB.",
                                             limit=MAX_OPML_BYTES // 1000))
            return
        document = bytes(await (await message.document.get_file()).download_as_bytearray())
        try:
            report = await self.service.import_opml(document, default_lang)
        except OpmlError as error:
            await reply(update, t, t.gettext("Not imported: {reason}", reason=t.gettext(error.message, **error.params)))
            return
        for text in import_summary(t, report):
            await message.reply_text(t.layout(text), link_preview_options=NO_PREVIEW)


def import_summary(t: Texts, report: ImportReport) -> list[str]:
    """The result of an import in the admin's language, in Telegram-sized messages."""
    head = t.gettext("Imported {added}, already there {present}, skipped {skipped}.", added=len(report.added),
                     present=len(report.present), skipped=len(report.skipped))
    lines = [f"+ {name}" for name in report.added]
    lines += [f"– {item.label}: {t.gettext(item.reason, **item.params)}" for item in report.skipped]
    return pack_lines([head, *lines], limit=4000)  # room for the right-to-left marks of Arabic lines
