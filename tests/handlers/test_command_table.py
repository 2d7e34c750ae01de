"""The command table builds the handlers, the per-language menus and /help: nothing is spelled twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat, Chat, Message, Update
from telegram.ext import ApplicationBuilder, CommandHandler

from bot.handlers.command_table import (
    COMMANDS,
    ChatKind,
    Command,
    HandlerSet,
    chat_filter,
    help_text,
    menu,
    register_commands,
    set_menus,
)
from bot.handlers.interface import Context, Handler
from bot.i18n import Catalogues

USER_COMMANDS = {c.name for c in COMMANDS if not c.admin_only and ChatKind.PRIVATE in c.chats}
ADMIN_COMMANDS = {c.name for c in COMMANDS if c.admin_only}
GROUP_COMMANDS = {c.name for c in COMMANDS if ChatKind.GROUP in c.chats}


class RecordingHandlers:
    """Stands in for every handler object: each attribute is a handler that records its name when called."""

    def __init__(self) -> None:
        self.called: list[str] = []

    def __getattr__(self, name: str) -> Handler:
        async def handler(update: Update, context: Context) -> None:
            self.called.append(name)

        handler.__name__ = name
        return handler


class RecordingBot:
    """Records every set_my_commands call as (scope, language, [(command, description)])."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, str | None, list[tuple[str, str]]]] = []

    async def set_my_commands(self, commands: list[BotCommand], *, scope: object = None,
                              language_code: str | None = None) -> bool:
        self.calls.append((scope, language_code, [(c.command, c.description) for c in commands]))
        return True


def update_from(chat_type: str, *, channel: bool = False) -> Update:
    message = Message(message_id=1, date=datetime(2025, 3, 1, tzinfo=UTC), chat=Chat(-5 if channel else 5, chat_type),
                      text="/start")
    return Update(update_id=1, channel_post=message) if channel else Update(update_id=1, message=message)


def test_names_are_unique_and_the_missing_commands_are_in_the_table() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert {"timezone", "urgent", "unmute", "quiet", "digest"} <= USER_COMMANDS
    assert {"feeds", "addfeed", "removefeed", "import"} == ADMIN_COMMANDS


@pytest.mark.parametrize("lang", ["en", "ar", "tr", "ru"])
def test_help_has_a_line_for_every_command_and_admins_last(lang: str) -> None:
    t = Catalogues.load().texts(lang)
    text = help_text(t)
    lines = text.split("\n")
    for command in (c for c in COMMANDS if ChatKind.PRIVATE in c.chats):
        assert any(line.startswith(f"/{command.name}") for line in lines), f"/{command.name} missing in {lang}"
    admins = lines.index(t.gettext("Admins:"))
    assert all(line.split()[0].strip("/:") in ADMIN_COMMANDS for line in lines[admins + 1:])


def test_help_leaves_out_commands_not_answered_in_that_kind_of_chat() -> None:
    t = Catalogues.load().texts("en")
    group_only = Command("report", lambda h: h.user.help, "Report", "/report: a group command",
                         chats=frozenset({ChatKind.GROUP}))
    table = (*COMMANDS, group_only)
    assert "/report" not in help_text(t, table)
    group_help = help_text(t, table, ChatKind.GROUP)
    assert "/report: a group command" in group_help and "/connect" not in group_help


def test_private_menu_has_every_user_command_and_admins_get_theirs() -> None:
    t = Catalogues.load().texts("ru")
    everyone = {c.command: c.description for c in menu(t, COMMANDS, ChatKind.PRIVATE)}
    assert set(everyone) == USER_COMMANDS
    assert everyone["timezone"] == "Мой часовой пояс"
    admin = {c.command for c in menu(t, COMMANDS, ChatKind.PRIVATE, admin=True)}
    assert admin == USER_COMMANDS | ADMIN_COMMANDS


async def test_menus_are_set_per_language_for_everyone_and_each_admin() -> None:
    catalogues = Catalogues.load()
    bot = RecordingBot()
    languages = [(None if lang == "en" else lang, catalogues.texts(lang)) for lang in catalogues.languages]
    await set_menus(bot, languages, admin_ids=[42])  # type: ignore[arg-type]
    default = {(lang): dict(entries) for scope, lang, entries in bot.calls if scope is None}
    assert set(default) == {None, "ar", "tr", "ru"}
    assert set(default["ar"]) == USER_COMMANDS and default["ar"]["latest"] == "آخر الأخبار لكلماتي المفتاحية"
    admin = [dict(entries) for scope, _, entries in bot.calls if scope == BotCommandScopeChat(42)]
    assert len(admin) == 4 and all(set(entries) == USER_COMMANDS | ADMIN_COMMANDS for entries in admin)
    groups = [dict(entries) for scope, _, entries in bot.calls if isinstance(scope, BotCommandScopeAllGroupChats)]
    assert len(groups) == 4 and all(set(entries) == GROUP_COMMANDS for entries in groups)
    assert "topic" in GROUP_COMMANDS and not {"connect", "channels", "feeds"} & GROUP_COMMANDS


async def test_a_group_command_gets_a_group_menu() -> None:
    group = Command("report", lambda h: h.user.help, "Report", "/report: x",
                    chats=frozenset({ChatKind.PRIVATE, ChatKind.GROUP}))
    bot = RecordingBot()
    await set_menus(bot, [(None, Catalogues.load().texts("en"))], admin_ids=[],  # type: ignore[arg-type]
                    commands=(*COMMANDS, group))
    groups = [entries for scope, _, entries in bot.calls if isinstance(scope, BotCommandScopeAllGroupChats)]
    assert len(groups) == 1 and groups[0][-1] == ("report", "Report")


def test_chat_kinds_become_filters() -> None:
    private, group, channel = update_from("private"), update_from("supergroup"), update_from("channel", channel=True)
    only_private = chat_filter({ChatKind.PRIVATE})
    assert only_private.check_update(private) and not only_private.check_update(group)
    both = chat_filter({ChatKind.PRIVATE, ChatKind.GROUP})
    assert both.check_update(private) and both.check_update(group) and not both.check_update(channel)
    assert chat_filter({ChatKind.CHANNEL}).check_update(channel)


async def test_registration_guards_admin_commands_only() -> None:
    app = ApplicationBuilder().token("1:x").updater(None).build()
    recorder = RecordingHandlers()
    guarded: list[str] = []

    def guard(handler: Handler) -> Handler:
        guarded.append(handler.__name__)
        return handler

    handlers: Any = recorder
    register_commands(app, HandlerSet(handlers, handlers, handlers, handlers, handlers, handlers, handlers), guard)
    registered = [h for group in app.handlers.values() for h in group if isinstance(h, CommandHandler)]
    assert sorted(name for h in registered for name in h.commands) == sorted(c.name for c in COMMANDS)
    assert sorted(guarded) == sorted(ADMIN_COMMANDS - {"import"} | {"import_help"})  # `import` is a keyword
    by_name = {name: h for h in registered for name in h.commands}
    assert by_name["timezone"].callback.__name__ == "timezone"
    assert by_name["settings"].callback.__name__ == "settings"


async def test_group_guard_wraps_what_only_group_administrators_may_do() -> None:
    app = ApplicationBuilder().token("1:x").updater(None).build()
    handlers: Any = RecordingHandlers()
    group_guarded: list[str] = []

    def group_guard(handler: Handler) -> Handler:
        group_guarded.append(handler.__name__)
        return handler

    register_commands(app, HandlerSet(handlers, handlers, handlers, handlers, handlers, handlers, handlers),
                      lambda h: h, group_guard=group_guard)
    assert len(group_guarded) == len({"start", "stop", "add", "remove", "settings", "language", "lang", "quiet",
                                      "timezone", "digest", "urgent", "unmute", "topic"})
    assert {"start", "stop", "settings", "topic", "unmute"} <= set(group_guarded)
    assert not {"keywords", "status", "latest", "test", "help"} & set(group_guarded)


def test_group_help_says_who_may_change_the_subscription() -> None:
    t = Catalogues.load().texts("en")
    group_help = help_text(t, kind=ChatKind.GROUP)
    assert "/topic:" in group_help and "only its administrators" in group_help
    assert "/connect" not in group_help.split("\n\n")[1] and "/feeds" not in group_help
    assert "/topic:" not in help_text(t)
