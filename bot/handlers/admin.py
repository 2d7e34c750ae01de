"""Admin commands: /feeds, /addfeed, /removefeed; everyone else gets a clear refusal."""

from __future__ import annotations

from collections.abc import Collection

from telegram import LinkPreviewOptions, Update

from bot.adapters.config_files import validate_feed
from bot.core.interface.formatting import shorten
from bot.errors import FeedError
from bot.handlers.interface import Context, Handler, Interface, argument, reply
from bot.services.feeds import FeedAdminService

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
