"""A subscriber's /export and /forget, and the admins' OPML /export feeds and /import, against the running bot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fakes import BotProcess, FakeBotApi, FakeFeedServer, FeedItem
from fakes.app_process import REPO_ROOT

BOT_TOKEN = "123456:TEST-token"  # what the bot_api fixture (conftest.py) accepts
ADMIN, USER = 777, 4343
WAIT = 60.0


class Bot:
    """The running bot and the fakes, with a way to ask and wait for the answer."""

    def __init__(self, api: FakeBotApi, feeds: FakeFeedServer, app: BotProcess) -> None:
        self.api, self.feeds, self.app = api, feeds, app

    async def answer(self, chat_id: int, send: Callable[[], object], *, document: bool = False) -> str | dict:
        """Send as the user; the next text (or document) the bot sends to the chat."""
        texts, files = len(self.api.messages_to(chat_id)), len(self.documents(chat_id))
        send()
        if document:
            await self.app.wait_until(lambda: len(self.documents(chat_id)) > files, WAIT, "a document")
            return self.documents(chat_id)[-1]
        await self.app.wait_until(lambda: len(self.api.messages_to(chat_id)) > texts, WAIT, "a reply")
        return str(self.api.messages_to(chat_id)[-1]["visible_text"])

    def documents(self, chat_id: int) -> list[dict]:
        return [d for d in self.api.documents if str(d["chat_id"]) == str(chat_id)]


@pytest.fixture
async def bot(tmp_path: Path, bot_api: FakeBotApi, feed_server: FakeFeedServer) -> AsyncIterator[Bot]:
    feed_server.set_items("first.xml", [FeedItem("Weather", "https://n.example/1")], lang="en")
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'[[feeds]]\nname = "First"\nurl = "{feed_server.url("first.xml")}"\nlang = "en"\n')
    app = BotProcess({"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": bot_api.url, "FEEDS_FILE": str(feeds_file),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "ADMIN_IDS": str(ADMIN),
                      "TRANSLATOR": "none", "SCAN_INTERVAL_SECONDS": "2"}, REPO_ROOT, tmp_path / "bot.log")
    await app.start()
    try:
        yield Bot(bot_api, feed_server, app)
    finally:
        await app.stop()


async def test_a_subscriber_exports_then_forgets_their_data(bot: Bot) -> None:
    await bot.answer(USER, lambda: bot.api.user_sends(USER, "/start"))
    await bot.answer(USER, lambda: bot.api.user_sends(USER, "/add Saraqib"))

    exported = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/export"), document=True)
    assert isinstance(exported, dict) and exported["filename"] == "my-data.json"
    data = json.loads(exported["content"])
    assert data["chat_id"] == USER and data["subscribed"] is True
    assert {keyword["label"] for keyword in data["keywords"]} >= {"Idlib", "Saraqib"}
    assert "/forget" in str(exported["caption"])

    warning = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/forget"))
    assert "/forget confirm" in str(warning)
    done = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/forget confirm"))
    assert str(done).startswith("Done: I no longer keep anything")
    nothing = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/export"))
    assert nothing == "I keep nothing about this chat."
    status = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/status"))
    assert "/start" in str(status)  # not subscribed any more


async def test_admins_export_and_import_the_feed_list_as_opml(bot: Bot) -> None:
    refused = await bot.answer(USER, lambda: bot.api.user_sends(USER, "/export feeds"))
    assert "admins only" in str(refused)

    exported = await bot.answer(ADMIN, lambda: bot.api.user_sends(ADMIN, "/export feeds"), document=True)
    assert isinstance(exported, dict) and exported["filename"] == "feeds.opml"
    assert bot.feeds.url("first.xml").encode() in exported["content"]

    bot.feeds.set_items("second.xml", [FeedItem("Haber", "https://n.example/2")], lang="tr")
    bot.feeds.set_failure("gone.xml", 404)
    opml = (f'<opml version="2.0"><body>'
            f'<outline text="First" xmlUrl="{bot.feeds.url("first.xml")}" language="en"/>'
            f'<outline text="Second" xmlUrl="{bot.feeds.url("second.xml")}"/>'
            f'<outline text="Gone" xmlUrl="{bot.feeds.url("gone.xml")}" language="en"/>'
            f'<outline text="Bad" xmlUrl="gopher://x" language="en"/></body></opml>').encode()
    not_admin = await bot.answer(USER, lambda: bot.api.user_sends_document(USER, "f.opml", opml, "/import tr"))
    assert "admins only" in str(not_admin)

    summary = await bot.answer(ADMIN, lambda: bot.api.user_sends_document(ADMIN, "feeds.opml", opml, "/import tr"))
    lines = str(summary).splitlines()
    assert lines[0] == "Imported 1, already there 1, skipped 2."
    assert "+ Second" in lines
    assert any(line.startswith("– Gone: not a usable feed") and "404" in line for line in lines)
    assert "– Bad: not an http(s) address" in lines

    again = await bot.answer(ADMIN, lambda: bot.api.user_sends(ADMIN, "/export feeds"), document=True)
    assert isinstance(again, dict) and bot.feeds.url("second.xml").encode() in again["content"]
    garbage = await bot.answer(ADMIN, lambda: bot.api.user_sends_document(ADMIN, "x.opml", b"<html/>", "/import"))
    assert str(garbage).startswith("Not imported: The file is not an OPML document")
