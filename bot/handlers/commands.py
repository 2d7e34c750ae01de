"""Subscriber commands: /start /stop /help /keywords /add /remove /lang /status /test /latest.

Every reply is in the user's interface language (bot/handlers/interface.py); the texts are gettext
message ids found by Babel (bot/locale).
"""

from __future__ import annotations

import html

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatType

from bot.core.interface.i18n import N_, Texts
from bot.core.interface.latest import render_latest
from bot.core.matching.keyword_view import describe_concept, explain, explanation_text, source_note
from bot.core.matching.script import script_language
from bot.core.models import LANGUAGES
from bot.errors import UserError
from bot.handlers.buttons import keyword_list
from bot.handlers.command_table import ChatKind, help_text
from bot.handlers.interface import NOT_SUBSCRIBED, Context, Interface, argument, reason, reply
from bot.services.subscriptions import SubscriptionService

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def required_argument(update: Update, context: Context, t: Texts, usage: str) -> str | None:
    """The command's argument, or None after replying with `usage` (or when there is no chat to answer)."""
    if not update.effective_chat or not update.effective_message:
        return None
    value = argument(context)
    if not value:
        await reply(update, t, usage)
        return None
    return value


class SubscriberCommands:
    """Handlers for what any user can ask."""

    def __init__(self, subscriptions: SubscriptionService, interface: Interface) -> None:
        self.subscriptions = subscriptions
        self.interface = interface

    async def start(self, update: Update, context: Context) -> None:
        """Subscribe with the default keywords; alerts are translated into the interface language."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        chat = update.effective_chat
        created = await self.subscriptions.start(chat.id, t.lang, chat.type, chat.title)
        keywords = await self.subscriptions.keywords(update.effective_chat.id)
        names = ", ".join(t.isolate(c.label) for c in keywords)
        if created:
            text = "\n".join([
                t.gettext("Subscribed. You will get alerts for: {names}.", names=names),
                t.gettext("Alerts are translated into {language} (change with /lang).", language=t.language(t.lang)),
                t.gettext("Add keywords with /add <term>; /latest shows recent news; /settings changes languages; "
                          "see /help."),
            ])
        else:
            text = t.gettext("You are already subscribed. Your keywords: {names}. See /help.", names=names)
        await reply(update, t, text)

    async def stop(self, update: Update, context: Context) -> None:
        """Unsubscribe."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        stopped = await self.subscriptions.stop(update.effective_chat.id)
        await reply(update, t, t.gettext("Unsubscribed: no more alerts. Send /start to subscribe again.") if stopped
                    else t.gettext(NOT_SUBSCRIBED))

    async def help(self, update: Update, context: Context) -> None:
        """Show the commands."""
        t = await self.interface.texts(update)
        private = update.effective_chat is None or update.effective_chat.type == ChatType.PRIVATE
        await reply(update, t, help_text(t, kind=ChatKind.PRIVATE if private else ChatKind.GROUP))

    async def keywords(self, update: Update, context: Context) -> None:
        """List my keywords with their variants, each with a button to remove it."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        text, keyboard = keyword_list(await self.subscriptions.keywords_with_ids(update.effective_chat.id), t)
        await reply(update, t, text, keyboard=keyboard)

    async def add(self, update: Update, context: Context) -> None:
        """Follow a keyword in all four languages."""
        t = await self.interface.texts(update)
        usage = t.gettext("Usage: /add <term>, for example {example}", example="/add Saraqib")
        term = await required_argument(update, context, t, usage)
        if term is None or not update.effective_chat:
            return
        try:
            result = await self.subscriptions.add(update.effective_chat.id, term)
        except UserError as error:
            await reply(update, t, t.gettext("Not added: {reason}.", reason=reason(t, error)))
            return
        text = t.gettext("Added. Matched in all four languages as:") + "\n" + describe_concept(result.concept, t)
        text += "\n\n" + source_note(result.source, result.followed, term, t)
        if result.ambiguity:
            text += "\n\n" + t.gettext("Note: this name is ambiguous ({why}), so it only matches together with one "
                                       "of the words above; add your own with {syntax}",
                                       why=result.ambiguity, syntax="| near: …")
        if result.untranslated:
            missing = ", ".join(t.language(lang) for lang in result.untranslated)
            text += "\n" + t.gettext("(The translator gave no spelling in {languages}; the term is still matched "
                                     "as typed.)", languages=missing)
        await reply(update, t, text)

    async def remove(self, update: Update, context: Context) -> None:
        """Stop following a keyword."""
        t = await self.interface.texts(update)
        term = await required_argument(update, context, t, t.gettext("Usage: /remove <term>; /keywords lists yours."))
        if term is None or not update.effective_chat:
            return
        try:
            removed = await self.subscriptions.remove(update.effective_chat.id, term)
        except UserError as error:
            await reply(update, t, t.gettext("Not removed: {reason}.", reason=reason(t, error)))
            return
        await reply(update, t, t.gettext("Removed “{label}”.", label=removed.label))

    async def lang(self, update: Update, context: Context) -> None:
        """Set the language alerts are translated into."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        code = argument(context).lower()
        if code not in LANGUAGES:
            choices = ", ".join(f"{t.isolate(c)} ({t.language(c)})" for c in LANGUAGES)
            await reply(update, t, t.gettext("Usage: /lang <code>, one of {choices}.", choices=choices))
            return
        try:
            await self.subscriptions.set_language(update.effective_chat.id, code)
        except UserError as error:
            await reply(update, t, t.gettext("Not changed: {reason}.", reason=reason(t, error)))
            return
        await reply(update, t, t.gettext("Alerts will be translated into {language}.", language=t.language(code)))

    async def status(self, update: Update, context: Context) -> None:
        """Show my subscription."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        status = await self.subscriptions.status(update.effective_chat.id)
        if status is None:
            await reply(update, t, t.gettext(NOT_SUBSCRIBED))
            return
        subscriber, keywords, pending = status
        names = ", ".join(t.isolate(html.escape(c.label)) for c in keywords)
        lines = [
            f"<b>{html.escape(t.gettext('Subscribed'))}</b>",
            t.markup(N_("Interface language: {language}"), language=html.escape(t.language(t.lang))),
            t.markup(N_("Translation into: {language}"), language=html.escape(t.language(subscriber.language))),
            t.markup(N_("Keywords ({count}): {names}"), count=len(keywords), names=names),
            t.markup(N_("Alerts waiting to be sent: {count}"), count=pending),
        ]
        await reply(update, t, "\n".join(lines), html=True)

    async def test(self, update: Update, context: Context) -> None:
        """Show which of my keywords a text matches, and why."""
        t = await self.interface.texts(update)
        usage = t.gettext("Usage: /test <text>, e.g. {example}", example="/test Shelling near Saraqib")
        text = await required_argument(update, context, t, usage)
        if text is None or not update.effective_chat:
            return
        concepts = await self.subscriptions.keywords(update.effective_chat.id)
        text = text[:4000]
        await reply(update, t, explanation_text(explain(concepts, text, script_language(text)), t))

    async def latest(self, update: Update, context: Context) -> None:
        """Show the newest items that matched my keywords."""
        if not update.effective_chat:
            return
        t = await self.interface.texts(update)
        try:
            items = await self.subscriptions.latest(update.effective_chat.id)
        except UserError:
            await reply(update, t, t.gettext(NOT_SUBSCRIBED))
            return
        text = render_latest(items, self.subscriptions.latest_window, t)
        await reply(update, t, text, html=True, link_preview_options=NO_PREVIEW)

    async def unknown(self, update: Update, context: Context) -> None:
        """Answer commands we do not know."""
        t = await self.interface.texts(update)
        await reply(update, t, t.gettext("Unknown command. /help lists what I understand."))

    async def text(self, update: Update, context: Context) -> None:
        """Answer plain messages with a pointer to /help."""
        t = await self.interface.texts(update)
        await reply(update, t, t.gettext("I understand commands only; /help lists them."))
