"""Issue 11.2, 11.6 and 12.11: with the database locked, a command still gets a reply (in the user's
language: it did not work, nothing was lost), the log gets one line naming the command and the error
class but never the SQL parameters (the keyword typed), and admins get one notice, not one per failure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakes import BotProcess, FakeBotApi, FakeFeedServer
from fakes.app_process import REPO_ROOT

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST-token"
USER = 5150
ADMIN = 4242
SECRET_KEYWORD = "Zarzourqwx"


@contextmanager
def database_locked(path: Path) -> Iterator[None]:
    """Hold SQLite's write lock, as a stuck process or a full disk would leave the bot unable to write."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


async def test_a_failing_command_is_answered_logged_once_without_parameters_and_admins_told_once(
        tmp_path: Path, bot_api: FakeBotApi, feed_server: FakeFeedServer) -> None:
    feed_server.set_items("/feeds/en.xml", [], lang="en", title="Wire")
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feeds]]\nname = "Wire"\nurl = "{feed_server.url("/feeds/en.xml")}"\nlang = "en"\n',
                          encoding="utf-8")
    database = tmp_path / "bot.sqlite3"
    app = BotProcess({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": bot_api.url, "DATABASE_URL": f"sqlite:///{database}",
                      "FEEDS_FILE": str(feeds_file), "SCAN_INTERVAL_SECONDS": "60", "TRANSLATOR": "none",
                      "ADMIN_IDS": str(ADMIN), "LOG_LEVEL": "INFO"}, REPO_ROOT, tmp_path / "bot.log")
    await app.start()
    try:
        bot_api.user_sends(USER, "/start", language_code="tr")
        await bot_api.wait_for_messages(USER, 1, timeout=60)
        before = len(bot_api.messages_to(USER))
        with database_locked(database):
            bot_api.user_sends(USER, f"/add {SECRET_KEYWORD}", language_code="tr")
            await bot_api.wait_for_messages(USER, before + 1, timeout=40)
            bot_api.user_sends(USER, f"/add {SECRET_KEYWORD}2", language_code="tr")
            await bot_api.wait_for_messages(USER, before + 2, timeout=40)
        replies = bot_api.texts_to(USER)[before:]
        bot_api.user_sends(USER, "/keywords", language_code="tr")  # the lock is gone: the bot works again
        await bot_api.wait_for_messages(USER, before + 3, timeout=30)
        log = app.log_text()
    finally:
        await app.stop()

    assert replies == ["Üzgünüz, bu işlem olmadı. Hiçbir şey kaybolmadı: lütfen biraz sonra yeniden deneyin."] * 2
    failures = [line for line in log.splitlines() if "/add (message) failed" in line]
    assert len(failures) == 2 and all("OperationalError" in line for line in failures), failures
    assert SECRET_KEYWORD not in log  # neither the command's arguments nor the SQL parameters
    assert "No error handlers are registered" not in log
    notices = bot_api.texts_to(ADMIN)
    assert len(notices) == 1 and "/add" in notices[0] and SECRET_KEYWORD not in notices[0]
