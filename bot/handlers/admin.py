"""Admin commands: /feeds, /addfeed, /removefeed; everyone else gets a clear refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from telegram import LinkPreviewOptions, Update

from bot.adapters.config_files import validate_feed
from bot.core.formatting import shorten
from bot.errors import FeedError
from bot.handlers.commands import Context, argument
from bot.services.feeds import FeedAdminService

Handler = Callable[[Update, Context], Awaitable[None]]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class AdminCommands:
    """Handlers that only ADMIN_IDS may use."""

    def __init__(self, feeds: FeedAdminService, admin_ids: Collection[int]) -> None:
        self.service = feeds
        self.admin_ids = frozenset(admin_ids)

    def only_admins(self, handler: Handler) -> Handler:
        """Wrap a handler so that non-admins get a refusal and nothing changes."""

        async def guarded(update: Update, context: Context) -> None:
            user = update.effective_user
            if user is None or user.id not in self.admin_ids:
                if update.effective_message:
                    await update.effective_message.reply_text("Sorry, this command is for the bot's admins only.")
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
            await update.effective_message.reply_text("No feeds. Add one with /addfeed <url> <lang> [name].")
            return
        for text in messages:
            await update.effective_message.reply_text(text, link_preview_options=NO_PREVIEW)

    async def addfeed(self, update: Update, context: Context) -> None:
        """Check a feed URL and start scanning it."""
        if not update.effective_message:
            return
        args = context.args or []
        if len(args) < 2:
            await update.effective_message.reply_text("Usage: /addfeed <url> <lang: ar|tr|ru|en> [name]")
            return
        url, lang = args[0], args[1].lower()
        name = " ".join(args[2:]).strip() or url
        try:
            feed = validate_feed(shorten(name, 100), url, lang)
        except ValueError as error:
            await update.effective_message.reply_text(f"Not added: {error}.")
            return
        try:
            stored, count = await self.service.add(feed)
        except FeedError as error:
            await update.effective_message.reply_text(f"Not added: {url} is not a usable feed ({error}).")
            return
        await update.effective_message.reply_text(f"Added “{stored.name}” ({count} items now); it is scanned "
                                                  "from the next cycle on.")

    async def removefeed(self, update: Update, context: Context) -> None:
        """Stop scanning a feed."""
        if not update.effective_message:
            return
        target = argument(context)
        if not target:
            await update.effective_message.reply_text("Usage: /removefeed <name or url>")
            return
        removed = await self.service.remove(target)
        await update.effective_message.reply_text(
            f"Removed “{target}”." if removed else f"No active feed is called “{target}”; /feeds lists them.")
