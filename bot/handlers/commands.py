"""Subscriber commands: /start /stop /help /keywords /add /remove /lang /status."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.core.formatting import language_name
from bot.core.keywords import describe
from bot.core.matching import ConceptMatch, Matcher
from bot.core.models import LANGUAGES, Concept
from bot.core.script import script_language
from bot.services.subscriptions import SubscriptionError, SubscriptionService
from bot.settings import normalise_language

HELP = """I send you news about Idlib and the M4 highway in northwest Syria from Arabic, Turkish, Russian \
and English media, translated into your language.

/start: subscribe (keywords: Idlib and the Syrian M4 highway)
/stop: unsubscribe
/keywords: the keywords you follow, with their spellings in each language
/add <term>: follow a keyword, e.g. /add Saraqib (matched in all four languages)
   more control: /add Ariha, أريحا | near: Idlib, Syria | not: Jericho
   (after the term: extra spellings separated by commas; "near:" words one of which must also
   appear; "not:" words that exclude an item)
/remove <term>: stop following a keyword
/test <text>: show which of your keywords a text would match, and why
/lang <code>: translate alerts into ar, tr, ru or en
/status: your subscription
/help: this text

Admins: /feeds (feed health), /addfeed <url> <lang> [name], /removefeed <name or url>"""

Context = ContextTypes.DEFAULT_TYPE


def argument(context: Context) -> str:
    """Everything after the command, as typed."""
    return " ".join(context.args or []).strip()


async def required_argument(update: Update, context: Context, usage: str) -> str | None:
    """The command's argument, or None after replying with `usage` (or when there is no chat to answer)."""
    if not update.effective_chat or not update.effective_message:
        return None
    value = argument(context)
    if not value:
        await update.effective_message.reply_text(usage)
        return None
    return value


def explain(concepts: list[Concept], text: str) -> list[ConceptMatch]:
    """The concepts a text matches, with the words and the reason (language guessed from the script)."""
    return Matcher(concepts).match(text, script_language(text))


class SubscriberCommands:
    """Handlers for what any user can ask."""

    def __init__(self, subscriptions: SubscriptionService) -> None:
        self.subscriptions = subscriptions

    async def start(self, update: Update, context: Context) -> None:
        """Subscribe with the default keywords."""
        if not update.effective_chat or not update.effective_message:
            return
        user = update.effective_user
        language = normalise_language(user.language_code if user else None)
        created = await self.subscriptions.start(update.effective_chat.id, language)
        keywords = await self.subscriptions.keywords(update.effective_chat.id)
        names = ", ".join(c.label for c in keywords)
        if created:
            text = (f"Subscribed. You will get alerts for: {names}.\n"
                    f"Alerts are translated into {language_name(language)} (change with /lang).\n"
                    "Add keywords with /add <term>; see /help.")
        else:
            text = f"You are already subscribed. Your keywords: {names}. See /help."
        await update.effective_message.reply_text(text)

    async def stop(self, update: Update, context: Context) -> None:
        """Unsubscribe."""
        if not update.effective_chat or not update.effective_message:
            return
        stopped = await self.subscriptions.stop(update.effective_chat.id)
        await update.effective_message.reply_text(
            "Unsubscribed: no more alerts. Send /start to subscribe again." if stopped
            else "You are not subscribed. Send /start to subscribe.")

    async def help(self, update: Update, context: Context) -> None:
        """Show the commands."""
        if update.effective_message:
            await update.effective_message.reply_text(HELP)

    async def keywords(self, update: Update, context: Context) -> None:
        """List my keywords with their variants."""
        if not update.effective_chat or not update.effective_message:
            return
        concepts = await self.subscriptions.keywords(update.effective_chat.id)
        if not concepts:
            await update.effective_message.reply_text("You follow no keywords. /start subscribes you.")
            return
        blocks = [describe(c) for c in concepts]
        text = "Your keywords:\n\n" + "\n\n".join(blocks)
        await update.effective_message.reply_text(text[:4000])

    async def add(self, update: Update, context: Context) -> None:
        """Follow a keyword in all four languages."""
        term = await required_argument(update, context, "Usage: /add <term>, for example /add Saraqib")
        if term is None or not update.effective_chat or not update.effective_message:
            return
        try:
            result = await self.subscriptions.add(update.effective_chat.id, term)
        except SubscriptionError as error:
            await update.effective_message.reply_text(f"Not added: {error}.")
            return
        text = f"Added. Matched in all four languages as:\n{describe(result.concept)}"
        if result.ambiguity:
            text += (f"\n\nNote: this name is ambiguous ({result.ambiguity}), so it only matches together with "
                     "one of the words above; add your own with | near: …")
        if result.untranslated:
            missing = ", ".join(language_name(lang) for lang in result.untranslated)
            text += f"\n(The translator gave no spelling in {missing}; the term is still matched as typed.)"
        await update.effective_message.reply_text(text)

    async def remove(self, update: Update, context: Context) -> None:
        """Stop following a keyword."""
        term = await required_argument(update, context, "Usage: /remove <term>; /keywords lists yours.")
        if term is None or not update.effective_chat or not update.effective_message:
            return
        try:
            removed = await self.subscriptions.remove(update.effective_chat.id, term)
        except SubscriptionError as error:
            await update.effective_message.reply_text(f"Not removed: {error}.")
            return
        await update.effective_message.reply_text(f"Removed “{removed.label}”.")

    async def lang(self, update: Update, context: Context) -> None:
        """Set the language alerts are translated into."""
        if not update.effective_chat or not update.effective_message:
            return
        code = argument(context).lower()
        choices = ", ".join(f"{c} ({language_name(c)})" for c in LANGUAGES)
        if code not in LANGUAGES:
            await update.effective_message.reply_text(f"Usage: /lang <code>, one of {choices}.")
            return
        try:
            await self.subscriptions.set_language(update.effective_chat.id, code)
        except SubscriptionError as error:
            await update.effective_message.reply_text(f"Not changed: {error}.")
            return
        await update.effective_message.reply_text(f"Alerts will be translated into {language_name(code)}.")

    async def status(self, update: Update, context: Context) -> None:
        """Show my subscription."""
        if not update.effective_chat or not update.effective_message:
            return
        status = await self.subscriptions.status(update.effective_chat.id)
        if status is None:
            await update.effective_message.reply_text("You are not subscribed. Send /start to subscribe.")
            return
        subscriber, keywords, pending = status
        lines = [
            "<b>Subscribed</b>",
            f"Translation into: {language_name(subscriber.language)}",
            f"Keywords ({len(keywords)}): {html.escape(', '.join(c.label for c in keywords))}",
            f"Alerts waiting to be sent: {pending}",
        ]
        await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)

    async def test(self, update: Update, context: Context) -> None:
        """Show which of my keywords a text matches, and why."""
        text = await required_argument(update, context, "Usage: /test <text>, e.g. /test Shelling near Saraqib")
        if text is None or not update.effective_chat or not update.effective_message:
            return
        concepts = await self.subscriptions.keywords(update.effective_chat.id)
        matches = explain(concepts, text[:4000])
        if not matches:
            await update.effective_message.reply_text("None of your keywords matches this text.")
            return
        lines = [f"• {m.concept.label}: {m.reason}" for m in matches]
        await update.effective_message.reply_text("Would match:\n" + "\n".join(lines))

    async def unknown(self, update: Update, context: Context) -> None:
        """Answer commands we do not know."""
        if update.effective_message:
            await update.effective_message.reply_text("Unknown command. /help lists what I understand.")

    async def text(self, update: Update, context: Context) -> None:
        """Answer plain messages with a pointer to /help."""
        if update.effective_message:
            await update.effective_message.reply_text("I understand commands only; /help lists them.")
