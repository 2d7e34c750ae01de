"""The one table of the bot's commands: from it the handlers are registered, the per-language command
menus are set and /help is written.

A new command is one `Command` row here (and its handler method): its name, which handler answers it,
whether it is for the bot's admins only, the kinds of chat it is answered in (`ChatKind`), the short
menu text and the /help line. Both texts are gettext message ids (translate them in bot/locale).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeAllGroupChats, BotCommandScopeChat
from telegram.ext import Application, CommandHandler, filters

from bot.core.interface.i18n import N_, Texts
from bot.core.models import LANGUAGES
from bot.handlers.interface import Handler

if TYPE_CHECKING:  # the handler classes import this module for /help
    from bot.handlers.admin import AdminCommands
    from bot.handlers.commands import SubscriberCommands
    from bot.handlers.preferences import PreferenceCommands
    from bot.handlers.settings import SettingsMenu


class ChatKind(Enum):
    """Where a command is answered."""

    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


PRIVATE = frozenset({ChatKind.PRIVATE})
CHAT_FILTERS = {ChatKind.PRIVATE: filters.ChatType.PRIVATE, ChatKind.GROUP: filters.ChatType.GROUPS,
                ChatKind.CHANNEL: filters.ChatType.CHANNEL}


@dataclass(frozen=True)
class HandlerSet:
    """The objects whose methods answer the commands."""

    user: SubscriberCommands
    settings: SettingsMenu
    preferences: PreferenceCommands
    admin: AdminCommands


@dataclass(frozen=True)
class Command:
    """One command: `handler` picks the method that answers it out of a `HandlerSet`."""

    name: str
    handler: Callable[[HandlerSet], Handler]
    menu: str
    help: str
    admin_only: bool = False
    chats: frozenset[ChatKind] = PRIVATE


COMMANDS: tuple[Command, ...] = (
    Command("start", lambda h: h.user.start, N_("Subscribe to alerts"),
            N_("/start: subscribe (keywords: Idlib and the Syrian M4 highway)")),
    Command("stop", lambda h: h.user.stop, N_("Unsubscribe"), N_("/stop: unsubscribe")),
    Command("keywords", lambda h: h.user.keywords, N_("My keywords"),
            N_("/keywords: the keywords you follow, with their spellings in each language and buttons to remove "
               "them")),
    Command("add", lambda h: h.user.add, N_("Follow a keyword in all four languages"),
            N_("/add <term>: follow a keyword, e.g. {add_example} (matched in all four languages)\n"
               "   more control: {add_syntax}\n"
               "   (after the term: extra spellings separated by commas; {near} words one of which must also\n"
               "   appear; {exclude} words that exclude an item)")),
    Command("remove", lambda h: h.user.remove, N_("Stop following a keyword"),
            N_("/remove <term>: stop following a keyword")),
    Command("latest", lambda h: h.user.latest, N_("Latest news for my keywords"),
            N_("/latest: the latest news that matched your keywords")),
    Command("settings", lambda h: h.settings.settings, N_("Languages and other settings"),
            N_("/settings: your languages, with buttons")),
    Command("language", lambda h: h.settings.language, N_("Language I write to you in"),
            N_("/language <code>: the language I write to you in, one of {codes}")),
    Command("lang", lambda h: h.user.lang, N_("Language alerts are translated into"),
            N_("/lang <code>: the language alerts are translated into, one of {codes}")),
    Command("quiet", lambda h: h.preferences.quiet, N_("Quiet hours"),
            N_("/quiet {quiet_example}: quiet hours in your time zone; /quiet off ends them")),
    Command("timezone", lambda h: h.preferences.timezone, N_("My time zone"),
            N_("/timezone <zone>: your time zone, e.g. {zone_example}")),
    Command("digest", lambda h: h.preferences.digest, N_("Digest: off, hourly or daily"),
            N_("/digest {digest_choices}: collect alerts into one message an hour or a day")),
    Command("urgent", lambda h: h.preferences.urgent, N_("A keyword that rings in quiet hours"),
            N_("/urgent <keyword>: its alerts ring even in quiet hours (send it again to undo)")),
    Command("unmute", lambda h: h.preferences.unmute, N_("Lift my mutes"),
            N_("/unmute: lift the mutes set with the buttons under alerts")),
    Command("status", lambda h: h.user.status, N_("My subscription"), N_("/status: your subscription")),
    Command("test", lambda h: h.user.test, N_("Which keywords a text matches"),
            N_("/test <text>: show which of your keywords a text would match, and why")),
    Command("help", lambda h: h.user.help, N_("How to use me"), N_("/help: this text")),
    Command("feeds", lambda h: h.admin.feeds, N_("Feed health"), N_("/feeds: the health of every feed"),
            admin_only=True),
    Command("addfeed", lambda h: h.admin.addfeed, N_("Add a feed"),
            N_("/addfeed <url> <lang> [name]: check a feed and start scanning it"), admin_only=True),
    Command("removefeed", lambda h: h.admin.removefeed, N_("Remove a feed"),
            N_("/removefeed <name or url>: stop scanning a feed"), admin_only=True),
)

HELP_INTRO = N_("I send you news about Idlib and the M4 highway in northwest Syria from Arabic, Turkish, Russian "
                "and English media, translated into your language.")
HELP_ADMINS = N_("Admins:")
HELP_EXAMPLES = {"add_example": "/add Saraqib", "add_syntax": "/add Ariha, أريحا | near: Idlib, Syria | not: Jericho",
                 "near": "near:", "exclude": "not:", "codes": ", ".join(LANGUAGES), "quiet_example": "23-7",
                 "zone_example": "Asia/Damascus", "digest_choices": "off | hourly | daily"}
"""Values of the placeholders in the /help lines (commands and examples, the same in every language)."""


def help_text(t: Texts, commands: Sequence[Command] = COMMANDS, kind: ChatKind = ChatKind.PRIVATE) -> str:
    """/help in `t`'s language: what the bot does, then one entry per command answered in `kind` of chat."""
    shown = [command for command in commands if kind in command.chats]
    users = [t.gettext(c.help, **HELP_EXAMPLES) for c in shown if not c.admin_only]
    admins = [t.gettext(c.help, **HELP_EXAMPLES) for c in shown if c.admin_only]
    sections = [t.gettext(HELP_INTRO), "\n".join(users)]
    if admins:
        sections.append("\n".join([t.gettext(HELP_ADMINS), *admins]))
    return "\n\n".join(sections)


def register_commands(app: Application[Any, Any, Any, Any, Any, Any], handlers: HandlerSet,
                      guard: Callable[[Handler], Handler], commands: Iterable[Command] = COMMANDS) -> None:
    """A CommandHandler per command, limited to its kinds of chat; `guard` wraps the admin-only ones."""
    for command in commands:
        callback = command.handler(handlers)
        if command.admin_only:
            callback = guard(callback)
        app.add_handler(CommandHandler(command.name, callback, filters=chat_filter(command.chats)))


def chat_filter(kinds: Collection[ChatKind]) -> filters.BaseFilter:
    """The python-telegram-bot filter that lets through updates from chats of `kinds`."""
    chosen = [CHAT_FILTERS[kind] for kind in ChatKind if kind in kinds]
    combined: filters.BaseFilter = chosen[0]
    for more in chosen[1:]:
        combined = combined | more
    return combined


def menu(t: Texts, commands: Iterable[Command], kind: ChatKind, *, admin: bool = False) -> list[BotCommand]:
    """The command menu of a chat of `kind` in `t`'s language (with the admin commands for an admin)."""
    return [BotCommand(c.name, t.gettext(c.menu)) for c in commands
            if kind in c.chats and (admin or not c.admin_only)]


async def set_menus(bot: Bot, languages: Iterable[tuple[str | None, Texts]], admin_ids: Collection[int],
                    commands: Sequence[Command] = COMMANDS) -> None:
    """Set the menus in every language (None: the default): private chats (the default scope), each
    admin's own chat (with the admin commands), and groups when any command is answered there."""
    for language_code, t in languages:
        scopes: list[tuple[BotCommandScope | None, list[BotCommand]]] = [
            (None, menu(t, commands, ChatKind.PRIVATE))]
        if any(ChatKind.GROUP in c.chats for c in commands):
            scopes.append((BotCommandScopeAllGroupChats(), menu(t, commands, ChatKind.GROUP)))
        scopes += [(BotCommandScopeChat(admin_id), menu(t, commands, ChatKind.PRIVATE, admin=True))
                   for admin_id in admin_ids]
        for scope, entries in scopes:
            await bot.set_my_commands(entries, scope=scope, language_code=language_code)
