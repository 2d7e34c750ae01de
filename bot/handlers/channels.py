"""Channels, managed from a private chat: /connect @channel, /channels and their buttons, and /keywords, /add
and /remove with a @channel first argument.

/channels lists the user's connected channels with a button to edit each (the language its alerts are
translated into) and one to disconnect it; `/add @channel <term>` and `/remove @channel <term>` change its
keywords. Every press checks again that the user still administers the
channel (bot/services/chats.py). Callback data: "v1:ch:<chat id>", "v1:ch-lang:<chat id>:<code>",
"v1:ch-off:<chat id>", "v1:ch-list:all" (bot/core/interface/callbacks.py).
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core.interface import callbacks
from bot.core.interface.callbacks import Callback
from bot.core.interface.formatting import shorten
from bot.core.interface.i18n import N_, Texts
from bot.core.matching.keyword_view import describe_concept, keywords_text
from bot.core.models import LANGUAGES, Subscriber
from bot.errors import MembershipUnknown, UserError
from bot.handlers.groups import CHECK_FAILED
from bot.handlers.interface import Context, Handler, Interface, argument, edit, reason, reply
from bot.services.chats import ChatService
from bot.services.subscriptions import SubscriptionService


def _name(channel: Subscriber) -> str:
    return shorten(channel.title or str(channel.chat_id), 40)


def channel_list(channels: list[Subscriber], t: Texts) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /channels text and keyboard: per channel, a button to edit it and one to disconnect it."""
    if not channels:
        return t.gettext("No channels are connected to you. Add me to your channel as an administrator who may "
                         "post messages, then send /connect @channel here."), None
    lines = [t.gettext("Your channels:")]
    lines += [t.gettext("• {name}: alerts in {language}", name=_name(c), language=t.language(c.language))
              for c in channels]
    rows = [[InlineKeyboardButton(t.gettext("✏ {name}", name=_name(c)),
                                  callback_data=callbacks.make(callbacks.CHANNEL_EDIT, c.chat_id)),
             InlineKeyboardButton(t.gettext("✖ Disconnect"),
                                  callback_data=callbacks.make(callbacks.CHANNEL_DISCONNECT, c.chat_id))]
            for c in channels]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def channel_card(channel: Subscriber, keywords: list[str], t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    """One channel's settings, with buttons to choose the language of its alerts."""
    text = "\n".join([
        f"<b>{html.escape(_name(channel))}</b>",
        html.escape(t.gettext("Alerts translated into: {language}", language=t.language(channel.language))),
        html.escape(t.gettext("Keywords: {names}", names=", ".join(keywords))),
        html.escape(t.gettext("Change them here with /add @channel <term> and /remove @channel <term>.")),
    ])
    languages = [InlineKeyboardButton(("✓ " if code == channel.language else "") + t.language(code),
                                      callback_data=callbacks.make(callbacks.CHANNEL_LANGUAGE, channel.chat_id, code))
                 for code in LANGUAGES]
    rows = [languages[:2], languages[2:],
            [InlineKeyboardButton(t.gettext("✖ Disconnect"),
                                  callback_data=callbacks.make(callbacks.CHANNEL_DISCONNECT, channel.chat_id)),
             InlineKeyboardButton(t.gettext("« All channels"), callback_data=callbacks.make(callbacks.CHANNEL_LIST,
                                                                                           "all"))]]
    return text, InlineKeyboardMarkup(rows)


def for_channel_or_own(own: Handler, for_channel: Handler) -> Handler:
    """In a private chat, a command whose first argument is a @channel (/add @channel <term>) is about one of
    my channels and goes to `for_channel`; anything else to `own`."""

    async def route(update: Update, context: Context) -> None:
        chat, args = update.effective_chat, context.args or []
        about_a_channel = chat is not None and chat.type == ChatType.PRIVATE and bool(args) and args[0][:1] == "@"
        await (for_channel if about_a_channel else own)(update, context)

    route.__doc__ = own.__doc__
    return route


class ChannelCommands:
    """/connect, /channels and the channel buttons (private chats only)."""

    def __init__(self, chats: ChatService, subscriptions: SubscriptionService, interface: Interface) -> None:
        self.chats = chats
        self.subscriptions = subscriptions
        self.interface = interface

    async def connect(self, update: Update, context: Context) -> None:
        """Connect a channel the user administers, where the bot is an administrator that may post."""
        user = update.effective_user
        if user is None:
            return
        t = await self.interface.texts(update)
        handle = argument(context)
        if not handle:
            await reply(update, t, t.gettext("Usage: /connect @channel (first add me to the channel as an "
                                             "administrator who may post messages)."))
            return
        try:
            chat, created = await self.chats.connect(user.id, handle, t.lang)
        except UserError as error:
            await reply(update, t, t.gettext("Not connected: {reason}.", reason=reason(t, error)))
            return
        except MembershipUnknown:
            await reply(update, t, t.gettext(CHECK_FAILED))
            return
        text = (t.gettext("Connected “{name}”: alerts about Idlib and the M4 highway will be posted there, "
                          "translated into {language}. /channels changes or disconnects it.",
                          name=chat.title, language=t.language(t.lang)) if created
                else t.gettext("“{name}” is already connected; /channels lists your channels.", name=chat.title))
        await reply(update, t, text)

    async def channels(self, update: Update, context: Context) -> None:
        """List my channels with buttons to edit or disconnect each."""
        user = update.effective_user
        if user is None:
            return
        t = await self.interface.texts(update)
        text, keyboard = channel_list(await self.chats.channels(user.id), t)
        await reply(update, t, text, keyboard=keyboard)

    async def keywords(self, update: Update, context: Context) -> None:
        """/keywords @channel: the keywords of one of my channels."""
        found = await self._channel_and_rest(update, context, N_("Usage: /keywords @channel"), need_rest=False)
        if found is not None:
            t, channel, _ = found
            concepts = await self.subscriptions.keywords(channel.chat_id)
            await reply(update, t, f"{_name(channel)}\n\n{keywords_text(concepts, t)}")

    async def add(self, update: Update, context: Context) -> None:
        """/add @channel <term>: one of my channels follows a keyword."""
        found = await self._channel_and_rest(update, context, N_("Usage: /add @channel <term>"))
        if found is None:
            return
        t, channel, term = found
        try:
            result = await self.subscriptions.add(channel.chat_id, term)
        except UserError as error:
            await reply(update, t, t.gettext("Not added: {reason}.", reason=reason(t, error)))
            return
        await reply(update, t, t.gettext("Added to “{name}”:", name=_name(channel)) + "\n"
                    + describe_concept(result.concept, t))

    async def remove(self, update: Update, context: Context) -> None:
        """/remove @channel <term>: one of my channels stops following a keyword."""
        found = await self._channel_and_rest(update, context, N_("Usage: /remove @channel <term>"))
        if found is None:
            return
        t, channel, term = found
        try:
            removed = await self.subscriptions.remove(channel.chat_id, term)
        except UserError as error:
            await reply(update, t, t.gettext("Not removed: {reason}.", reason=reason(t, error)))
            return
        await reply(update, t, t.gettext("Removed “{label}” from “{name}”.", label=removed.label, name=_name(channel)))

    async def _channel_and_rest(self, update: Update, context: Context, usage: str, *,
                                need_rest: bool = True) -> tuple[Texts, Subscriber, str] | None:
        """The texts, the channel named by the first argument (checked) and the rest; None once answered."""
        user = update.effective_user
        if user is None:
            return None
        t = await self.interface.texts(update)
        args = context.args or []
        rest = " ".join(args[1:]).strip()
        if not args or (need_rest and not rest):
            await reply(update, t, t.gettext(usage))
            return None
        try:
            return t, await self.chats.channel_named(user.id, args[0]), rest
        except UserError as error:
            await reply(update, t, reason(t, error))
        except MembershipUnknown:
            await reply(update, t, t.gettext(CHECK_FAILED))
        return None

    async def press(self, update: Update, t: Texts, pressed: Callback) -> str | None:
        """A channel button: edit, change the language, disconnect, or back to the list; the note to show."""
        user = update.effective_user
        if user is None:
            return None
        if pressed.action == callbacks.CHANNEL_LIST:
            await self._show_list(update, t, user.id)
            return None
        channel_id = int(pressed.args[0])
        try:
            note = await self._act(t, user.id, channel_id, pressed)
        except UserError as error:
            await self._show_list(update, t, user.id)
            return reason(t, error)
        except MembershipUnknown:
            return t.gettext(CHECK_FAILED)
        if pressed.action == callbacks.CHANNEL_DISCONNECT:
            await self._show_list(update, t, user.id)
        else:
            await self._show_card(update, t, await self.chats.managed_channel(user.id, channel_id))
        return note

    async def _act(self, t: Texts, owner_id: int, channel_id: int, pressed: Callback) -> str | None:
        if pressed.action == callbacks.CHANNEL_LANGUAGE:
            await self.chats.set_channel_language(owner_id, channel_id, pressed.args[1])
            return t.gettext("Alerts will be translated into {language}.", language=t.language(pressed.args[1]))
        if pressed.action == callbacks.CHANNEL_DISCONNECT:
            await self.chats.disconnect(owner_id, channel_id)
            return t.gettext("Disconnected: no more alerts to that channel.")
        await self.chats.managed_channel(owner_id, channel_id)  # CHANNEL_EDIT: only for its administrators
        return None

    async def _show_list(self, update: Update, t: Texts, owner_id: int) -> None:
        text, keyboard = channel_list(await self.chats.channels(owner_id), t)
        await edit(update, t, text, keyboard=keyboard)

    async def _show_card(self, update: Update, t: Texts, channel: Subscriber) -> None:
        keywords = [concept.label for concept in await self.subscriptions.keywords(channel.chat_id)]
        text, keyboard = channel_card(channel, keywords, t)
        await edit(update, t, text, html=True, keyboard=keyboard)
