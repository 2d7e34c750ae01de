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
from bot.handlers.channels import for_channel_or_own
from bot.handlers.interface import Handler

if TYPE_CHECKING:  # the handler classes import this module for /help
    from bot.handlers.admin import AdminCommands
    from bot.handlers.channels import ChannelCommands
    from bot.handlers.commands import SubscriberCommands
    from bot.handlers.groups import GroupCommands
    from bot.handlers.preferences import PreferenceCommands
    from bot.handlers.privacy import PrivacyCommands
    from bot.handlers.settings import SettingsMenu


class ChatKind(Enum):
    """Where a command is answered."""

    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


PRIVATE = frozenset({ChatKind.PRIVATE})
GROUP = frozenset({ChatKind.GROUP})
EVERYWHERE = frozenset({ChatKind.PRIVATE, ChatKind.GROUP})
NOT_EDITED = ~filters.UpdateType.EDITED
"""Editing an old message must not run its command again (an edited /add added a second keyword)."""
CHAT_FILTERS = {ChatKind.PRIVATE: filters.ChatType.PRIVATE, ChatKind.GROUP: filters.ChatType.GROUPS,
                ChatKind.CHANNEL: filters.ChatType.CHANNEL}


@dataclass(frozen=True)
class HandlerSet:
    """The objects whose methods answer the commands."""

    user: SubscriberCommands
    settings: SettingsMenu
    preferences: PreferenceCommands
    admin: AdminCommands
    groups: GroupCommands
    channels: ChannelCommands
    privacy: PrivacyCommands


@dataclass(frozen=True)
class Command:
    """One command: `handler` picks the method that answers it out of a `HandlerSet`."""

    name: str
    handler: Callable[[HandlerSet], Handler]
    menu: str
    help: str
    admin_only: bool = False
    chats: frozenset[ChatKind] = PRIVATE
    group_admins: bool = False
    """In a group, only the group's administrators may use it (asked from Telegram each time)."""


COMMANDS: tuple[Command, ...] = (
    Command("start", lambda h: h.user.start, N_("Subscribe to alerts"),
            N_("/start: subscribe (keywords: Idlib and the Syrian M4 highway)"), chats=EVERYWHERE, group_admins=True),
    Command("stop", lambda h: h.user.stop, N_("Unsubscribe"), N_("/stop: unsubscribe"), chats=EVERYWHERE,
            group_admins=True),
    Command("keywords", lambda h: for_channel_or_own(h.user.keywords, h.channels.keywords), N_("My keywords"),
            N_("/keywords: the keywords you follow, with their spellings in each language and buttons to remove "
               "them"), chats=EVERYWHERE),
    Command("add", lambda h: for_channel_or_own(h.user.add, h.channels.add),
            N_("Follow a keyword in all four languages"),
            N_("/add <term>: follow a keyword, e.g. {add_example} (matched in all four languages)\n"
               "   more control: {add_syntax}\n"
               "   (after the term: extra spellings separated by commas; {near} words one of which must also\n"
               "   appear; {exclude} words that exclude an item)"), chats=EVERYWHERE, group_admins=True),
    Command("remove", lambda h: for_channel_or_own(h.user.remove, h.channels.remove), N_("Stop following a keyword"),
            N_("/remove <term>: stop following a keyword"), chats=EVERYWHERE, group_admins=True),
    Command("latest", lambda h: h.user.latest, N_("Latest news for my keywords"),
            N_("/latest: the latest news that matched your keywords"), chats=EVERYWHERE),
    Command("settings", lambda h: h.settings.settings, N_("Languages and other settings"),
            N_("/settings: your languages, with buttons"), chats=EVERYWHERE, group_admins=True),
    Command("language", lambda h: h.settings.language, N_("Language I write to you in"),
            N_("/language <code>: the language I write to you in, one of {codes}"), chats=EVERYWHERE,
            group_admins=True),
    Command("lang", lambda h: h.user.lang, N_("Language alerts are translated into"),
            N_("/lang <code>: the language alerts are translated into, one of {codes}"), chats=EVERYWHERE,
            group_admins=True),
    Command("quiet", lambda h: h.preferences.quiet, N_("Quiet hours"),
            N_("/quiet {quiet_example}: quiet hours in your time zone; /quiet off ends them"), chats=EVERYWHERE,
            group_admins=True),
    Command("timezone", lambda h: h.preferences.timezone, N_("My time zone"),
            N_("/timezone <zone>: your time zone, e.g. {zone_example}"), chats=EVERYWHERE, group_admins=True),
    Command("digest", lambda h: h.preferences.digest, N_("Digest: off, hourly or daily"),
            N_("/digest {digest_choices}: collect alerts into one message an hour or a day"), chats=EVERYWHERE,
            group_admins=True),
    Command("urgent", lambda h: h.preferences.urgent, N_("A keyword that rings in quiet hours"),
            N_("/urgent <keyword>: its alerts ring even in quiet hours (send it again to undo)"), chats=EVERYWHERE,
            group_admins=True),
    Command("unmute", lambda h: h.preferences.unmute, N_("Lift my mutes"),
            N_("/unmute: lift the mutes set with the buttons under alerts"), chats=EVERYWHERE, group_admins=True),
    Command("status", lambda h: h.user.status, N_("My subscription"), N_("/status: your subscription"),
            chats=EVERYWHERE),
    Command("test", lambda h: h.user.test, N_("Which keywords a text matches"),
            N_("/test <text>: show which of your keywords a text would match, and why"), chats=EVERYWHERE),
    Command("topic", lambda h: h.groups.topic, N_("Group topic that receives alerts"),
            N_("/topic: in a group with topics, alerts go to the topic this is sent in"), chats=GROUP,
            group_admins=True),
    Command("connect", lambda h: h.channels.connect, N_("Post alerts to a channel I administer"),
            N_("/connect @channel: post alerts to a channel you administer (first add me there as an "
               "administrator who may post messages)")),
    Command("channels", lambda h: h.channels.channels, N_("My channels"),
            N_("/channels: your channels, with buttons to change the language of their alerts or disconnect them; "
               "/add @channel <term> and /remove @channel <term> change their keywords")),
    Command("export", lambda h: h.privacy.export, N_("Everything you keep about me, as a file"),
            N_("/export: everything I keep about this chat, as a file")),
    Command("forget", lambda h: h.privacy.forget, N_("Delete everything you keep about me"),
            N_("/forget: delete everything I keep about this chat (asks you to confirm)")),
    Command("help", lambda h: h.user.help, N_("How to use me"), N_("/help: this text"), chats=EVERYWHERE),
    Command("feeds", lambda h: h.admin.feeds, N_("Feed health"), N_("/feeds: the health of every feed"),
            admin_only=True),
    Command("addfeed", lambda h: h.admin.addfeed, N_("Add a feed"),
            N_("/addfeed <url> <lang> [name]: check a feed and start scanning it"), admin_only=True),
    Command("removefeed", lambda h: h.admin.removefeed, N_("Remove a feed"),
            N_("/removefeed <name or url>: stop scanning a feed"), admin_only=True),
    Command("import", lambda h: h.admin.import_help, N_("Import feeds from OPML"),
            N_("/import {lang_arg}: the caption of an {opml} file of feeds to add; {export_feeds} sends the list "
               "as {opml}"),
            admin_only=True),
)

HELP_INTRO = N_("I send you news about Idlib and the M4 highway in northwest Syria from Arabic, Turkish, Russian "
                "and English media, translated into your language.")
HELP_ADMINS = N_("Admins:")
HELP_GROUP = N_("In a group, only its administrators can change the subscription; everyone can use /keywords, "
                "/status, /latest and /test.")
HELP_EXAMPLES = {"add_example": "/add Saraqib", "add_syntax": "/add Ariha, أريحا | near: Idlib, Syria | not: Jericho",
                 "near": "near:", "exclude": "not:", "codes": ", ".join(LANGUAGES), "quiet_example": "23-7",
                 "zone_example": "Asia/Damascus", "digest_choices": "off | hourly | daily",
                 "lang_arg": "[lang]", "opml": "OPML", "export_feeds": "/export feeds"}
"""Values of the placeholders in the /help lines (commands and examples, the same in every language)."""


def help_text(t: Texts, commands: Sequence[Command] = COMMANDS, kind: ChatKind = ChatKind.PRIVATE) -> str:
    """/help in `t`'s language: what the bot does, then one entry per command answered in `kind` of chat."""
    shown = [command for command in commands if kind in command.chats]
    users = [t.gettext(c.help, **HELP_EXAMPLES) for c in shown if not c.admin_only]
    admins = [t.gettext(c.help, **HELP_EXAMPLES) for c in shown if c.admin_only]
    sections = [t.gettext(HELP_INTRO), "\n".join(users)]
    if kind is ChatKind.GROUP:
        sections.append(t.gettext(HELP_GROUP))
    if admins:
        sections.append("\n".join([t.gettext(HELP_ADMINS), *admins]))
    return "\n\n".join(sections)


def register_commands(app: Application[Any, Any, Any, Any, Any, Any], handlers: HandlerSet,
                      guard: Callable[[Handler], Handler], commands: Iterable[Command] = COMMANDS, *,
                      group_guard: Callable[[Handler], Handler] | None = None) -> None:
    """A CommandHandler per command, limited to its kinds of chat; `guard` wraps the admin-only ones,
    `group_guard` the ones only a group's administrators may use there."""
    for command in commands:
        callback = command.handler(handlers)
        if command.admin_only:
            callback = guard(callback)
        if command.group_admins and group_guard is not None:
            callback = group_guard(callback)
        app.add_handler(CommandHandler(command.name, callback, filters=chat_filter(command.chats) & NOT_EDITED))


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
