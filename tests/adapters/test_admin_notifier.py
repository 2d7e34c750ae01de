"""The admin notifier: one plain message to every admin, failures logged and swallowed."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram.error import Forbidden, NetworkError

from bot.adapters.telegram.admin_notifier import TelegramAdminNotifier


class RecordingBot:
    """Stands in for telegram.Bot: records send_message calls, raising `errors[chat_id]` if set."""

    def __init__(self, errors: dict[int, Exception] | None = None) -> None:
        self.errors = errors or {}
        self.sent: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> None:
        if kwargs["chat_id"] in self.errors:
            raise self.errors[kwargs["chat_id"]]
        self.sent.append(kwargs)


async def test_every_admin_gets_the_notice_once_in_plain_text() -> None:
    bot = RecordingBot()
    await TelegramAdminNotifier(bot, [7, 3, 7]).notify_admins("⚠️ Feed “X” <b>failing</b>")  # type: ignore[arg-type]
    assert [(m["chat_id"], m["text"]) for m in bot.sent] == [(3, "⚠️ Feed “X” <b>failing</b>"),
                                                           (7, "⚠️ Feed “X” <b>failing</b>")]
    assert all("parse_mode" not in m and m["link_preview_options"].is_disabled for m in bot.sent)


async def test_an_unreachable_admin_is_logged_and_the_others_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    bot = RecordingBot({1: Forbidden("bot was blocked by the user"), 2: NetworkError("connection reset")})
    with caplog.at_level(logging.WARNING):
        await TelegramAdminNotifier(bot, [1, 2, 3]).notify_admins("notice")  # type: ignore[arg-type]
    assert [m["chat_id"] for m in bot.sent] == [3]
    assert "could not notify admin 1" in caplog.text and "could not notify admin 2" in caplog.text


async def test_a_long_notice_is_cut_to_telegram_size() -> None:
    bot = RecordingBot()
    await TelegramAdminNotifier(bot, [1]).notify_admins("word " * 2000)  # type: ignore[arg-type]
    assert len(bot.sent[0]["text"]) <= 4096
