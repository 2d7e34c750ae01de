"""Tests of the fakes themselves, driven by the real clients the bot uses (python-telegram-bot 22,
feedparser, deep-translator), so the end-to-end tests can trust them."""

from __future__ import annotations

import asyncio
import re
import time

import aiohttp
import feedparser
import pytest
from deep_translator import LibreTranslator
from fakes import FakeBotApi, FakeFeedServer, FakeLibreTranslate, FeedItem, visible_text
from fakes.app_process import APP_VARIABLES, REPO_ROOT
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

from bot.settings import SETTINGS

TOKEN = "123456:TEST-token"


def make_bot(api: FakeBotApi, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=f"{api.url}/bot")


# --------------------------------------------------------------------------------------------------
# Bot API


async def test_get_me_and_send_message_with_nested_fields(bot_api: FakeBotApi) -> None:
    async with make_bot(bot_api) as bot:
        assert bot.username == "fake_alert_bot"
        assert bot.id == 123456
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="https://news.example/a")]])
        message = await bot.send_message(
            1001,
            'Breaking: <b>Idlib</b> &amp; M4 <a href="https://news.example/a">source</a>',
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        second = await bot.send_message(1001, "plain")

    assert message.chat.id == 1001
    assert message.text == "Breaking: Idlib & M4 source"
    assert second.message_id > message.message_id
    first = bot_api.sent[0]
    assert first["chat_id"] == 1001
    assert first["parse_mode"] == "HTML"
    assert first["reply_markup"] == {"inline_keyboard": [[{"text": "Open", "url": "https://news.example/a"}]]}
    assert first["link_preview_options"] == {"is_disabled": True}
    assert visible_text(first) == "Breaking: Idlib & M4 source"
    assert bot_api.texts_to(1001) == ["Breaking: Idlib & M4 source", "plain"]
    assert [name for name, _ in bot_api.calls] == ["getMe", "sendMessage", "sendMessage"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter.retry_after
async def test_injected_and_real_send_failures_raise_ptb_errors(bot_api: FakeBotApi) -> None:
    bot_api.fail_with_flood(7, retry_after=3)
    bot_api.fail_with_blocked(8)
    bot_api.fail_with_parse_error(9)
    async with make_bot(bot_api) as bot:
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(7, "x")
        assert "3 seconds" in str(flood.value)
        await bot.send_message(7, "after the flood")  # only the next call failed

        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(8, "x")

        await bot.send_message(9, "plain text is not affected")
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(9, "<b>x</b>", parse_mode=ParseMode.HTML)
        await bot.send_message(9, "<b>x</b>", parse_mode=ParseMode.HTML)

        with pytest.raises(BadRequest, match="parse entities"):  # Telegram has no <br>
            await bot.send_message(10, "a<br>b", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(10, "1 < 2 and <b>unclosed", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(10, "x" * 4097)

        bot_api.block(11)
        with pytest.raises(Forbidden):
            await bot.send_message(11, "x")
        with pytest.raises(Forbidden):
            await bot.send_message(11, "x")

    assert bot_api.texts_to(7) == ["after the flood"]
    assert bot_api.texts_to(9) == ["plain text is not affected", "x"]
    assert [(f["chat_id"], f["error_code"]) for f in bot_api.failures] == [
        (7, 429),
        (8, 403),
        (9, 400),
        (10, 400),
        (10, 400),
        (10, 400),
        (11, 403),
        (11, 403),
    ]


async def test_get_updates_long_polls_and_honours_offset(bot_api: FakeBotApi) -> None:
    async with make_bot(bot_api) as bot:
        assert await bot.get_updates(timeout=0) == ()

        async def later() -> None:
            await asyncio.sleep(0.3)
            bot_api.user_sends(1001, "/start now", language_code="ar")

        task = asyncio.create_task(later())
        started = time.monotonic()
        updates = await bot.get_updates(timeout=5)
        await task
        assert time.monotonic() - started < 3
        assert len(updates) == 1
        update = updates[0]
        assert update.message is not None
        assert update.message.text == "/start now"
        assert update.message.chat.type == "private"
        assert update.effective_user is not None
        assert update.effective_user.language_code == "ar"
        assert update.message.parse_entities() == {update.message.entities[0]: "/start"}

        again = await bot.get_updates(timeout=0)  # not confirmed yet: delivered again
        assert [u.update_id for u in again] == [update.update_id]
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
        assert bot_api.pending_updates == []

        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert time.monotonic() - started >= 0.9


async def test_a_newer_get_updates_terminates_the_pending_one(bot_api: FakeBotApi) -> None:
    url = f"{bot_api.url}/bot{TOKEN}/getUpdates"
    async with aiohttp.ClientSession() as session:

        async def poll() -> tuple[int, dict[str, object]]:
            async with session.post(url, data={"timeout": "5"}) as response:
                return response.status, await response.json()

        first = asyncio.create_task(poll())
        await bot_api.wait_for_call("getUpdates")
        await asyncio.sleep(0.1)
        async with session.post(url, json={"timeout": 0}) as response:
            assert (await response.json())["ok"] is True
        status, body = await asyncio.wait_for(first, 3)
    assert status == 409
    assert "Conflict" in str(body["description"])


async def test_application_polling_round_trip(bot_api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_user is not None
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
        await context.bot.send_message(update.effective_chat.id, f"Welcome! lang={update.effective_user.language_code}")

    app: Application = ApplicationBuilder().token(TOKEN).base_url(f"{bot_api.url}/bot").build()  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    async with app:
        assert app.updater is not None
        await app.bot.set_my_commands([BotCommand("start", "subscribe")])
        await app.updater.start_polling(poll_interval=0, timeout=2, drop_pending_updates=True)
        await app.start()
        bot_api.user_sends(1001, "/start", language_code="tr")
        replies = await bot_api.wait_for_messages(1001, 1, timeout=10)
        await app.updater.stop()
        await app.stop()

    assert [m["visible_text"] for m in replies] == ["Welcome! lang=tr"]
    assert bot_api.calls_to("sendChatAction")[0]["action"] == "typing"
    assert bot_api.calls_to("deleteWebhook")[0]["drop_pending_updates"] is True
    assert bot_api.pending_updates == []  # PTB confirmed the update on shutdown


async def test_commands_edits_callbacks_and_unknown_methods(bot_api: FakeBotApi) -> None:
    async with make_bot(bot_api) as bot:
        await bot.set_my_commands([BotCommand("start", "Subscribe"), BotCommand("help", "Help")])
        commands = await bot.get_my_commands()
        assert [(c.command, c.description) for c in commands] == [("start", "Subscribe"), ("help", "Help")]
        assert await bot.delete_my_commands() is True
        assert await bot.get_my_commands() == ()

        assert await bot.delete_webhook() is True
        info = await bot.get_webhook_info()
        assert info.url == ""

        sent = await bot.send_message(5, "one")
        edited = await bot.edit_message_text("two", chat_id=5, message_id=sent.message_id)
        assert not isinstance(edited, bool)
        assert edited.text == "two"
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("two", chat_id=5, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="not found"):
            await bot.edit_message_text("x", chat_id=5, message_id=999)

        bot_api.user_presses(5, "more", message_id=sent.message_id)
        updates = await bot.get_updates(timeout=0)
        query = updates[0].callback_query
        assert query is not None and query.data == "more"
        assert await bot.answer_callback_query(query.id, text="ok") is True

        assert await bot.do_api_request("someFutureMethod", api_kwargs={"flag": True, "n": 3}) is True

    assert bot_api.texts_to(5) == ["two"]
    assert bot_api.calls_to("answerCallbackQuery")[0]["text"] == "ok"
    assert ("someFutureMethod", {"flag": True, "n": 3}) in bot_api.calls


async def test_json_bodies_are_decoded(bot_api: FakeBotApi) -> None:
    url = f"{bot_api.url}/bot{TOKEN}/sendMessage"
    payload = {
        "chat_id": "42",
        "text": "123",
        "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}',
    }
    async with aiohttp.ClientSession() as session, session.post(url, json=payload) as response:
        body = await response.json()
    assert body["ok"] is True
    assert body["result"]["chat"] == {"id": 42, "type": "private", "first_name": "User42"}
    record = bot_api.messages_to(42)[0]
    assert record["text"] == "123"
    assert record["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"


async def test_wrong_token_is_unauthorized(bot_api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(bot_api, "999:wrong"):
            pass


async def test_wait_for_messages_times_out_with_what_it_saw(bot_api: FakeBotApi) -> None:
    async with make_bot(bot_api) as bot:
        await bot.send_message(3, "hello")
    assert [m["text"] for m in await bot_api.wait_for_messages(3, 1, timeout=1)] == ["hello"]
    with pytest.raises(AssertionError, match="hello"):
        await bot_api.wait_for_messages(3, 2, timeout=0.2)


# --------------------------------------------------------------------------------------------------
# feeds


async def test_feed_server_serves_rss_with_etags(feed_server: FakeFeedServer) -> None:
    feed_server.set_items(
        "/ar.xml",
        [
            {"title": "قصف على ريف إدلب الجنوبي & <تقرير>", "link": "https://news.example/ar/1"},
            FeedItem("second", "https://news.example/ar/2", "desc", guid="g-2"),
        ],
        lang="ar",
    )
    async with aiohttp.ClientSession() as session:
        async with session.get(feed_server.url("ar.xml")) as response:
            assert response.status == 200
            etag = response.headers["ETag"]
            body = await response.read()
        parsed = feedparser.parse(body)
        assert not parsed.bozo
        assert parsed.feed.language == "ar"
        assert [e.title for e in parsed.entries] == ["قصف على ريف إدلب الجنوبي & <تقرير>", "second"]
        assert parsed.entries[0].link == "https://news.example/ar/1"
        assert parsed.entries[0].id == "https://news.example/ar/1"
        assert parsed.entries[1].id == "g-2"
        assert parsed.entries[0].published_parsed is not None
        assert feed_server.fetched_current("ar.xml")

        async with session.get(feed_server.url("ar.xml"), headers={"If-None-Match": etag}) as response:
            assert response.status == 304

        feed_server.add_items("ar.xml", [{"title": "newer", "link": "https://news.example/ar/3"}])
        assert not feed_server.fetched_current("ar.xml")
        async with session.get(feed_server.url("ar.xml"), headers={"If-None-Match": etag}) as response:
            assert response.status == 200
            assert response.headers["ETag"] != etag
            assert feedparser.parse(await response.read()).entries[0].title == "newer"
        await feed_server.wait_until_fetched("ar.xml", timeout=1)

        feed_server.set_failure("ar.xml", 503)
        async with session.get(feed_server.url("ar.xml")) as response:
            assert response.status == 503
        async with session.get(feed_server.url("missing.xml")) as response:
            assert response.status == 404

    assert len(feed_server.requests_for("/ar.xml")) == 4
    assert feed_server.requests_for("ar.xml")[1]["If-None-Match"] == etag
    assert [status for _, status in feed_server.responses] == [200, 304, 200, 503, 404]
    with pytest.raises(AssertionError):
        await feed_server.wait_for_requests("ar.xml", 1, timeout=0.2, since=4)


# --------------------------------------------------------------------------------------------------
# translator


async def test_translator_answers_json_form_and_deep_translator(translator: FakeLibreTranslate) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{translator.url}/translate", json={"q": "مرحبا", "source": "ar", "target": "en"}
        ) as response:
            assert await response.json() == {"translatedText": "[en] مرحبا"}
        async with session.post(
            f"{translator.url}/translate", data={"q": "Saraqib", "source": "auto", "target": "ar"}
        ) as response:
            assert (await response.json())["translatedText"] == "سراقب"
        async with session.get(f"{translator.url}/languages") as response:
            assert {lang["code"] for lang in await response.json()} == {"ar", "tr", "ru", "en"}
        translator.fail_next(status=502)
        async with session.post(
            f"{translator.url}/translate", json={"q": "x", "source": "en", "target": "ru"}
        ) as response:
            assert response.status == 502

    def with_deep_translator() -> str:
        client = LibreTranslator(source="en", target="ru", api_key="k", custom_url=f"{translator.url}/")
        return str(client.translate("Saraqib"))

    assert await asyncio.to_thread(with_deep_translator) == "Саракиб"
    assert translator.requests[-1] == {
        "q": "Saraqib",
        "source": "en",
        "target": "ru",
        "format": "text",
        "api_key": "k",
    }
    assert translator.texts_translated("ar") == ["Saraqib"]


def test_bot_process_isolates_every_setting_from_the_developers_shell() -> None:
    """A variable the bot reads but BotProcess does not strip would leak from the shell into e2e runs."""
    source = (REPO_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    assert re.findall(r'env\.get\("([A-Z][A-Z_]+)"', source) == []  # read only through the SETTINGS table
    assert {"TELEGRAM_BOT_TOKEN", "SEND_RATE_PER_SECOND", "FEED_MAX_INTERVAL_SECONDS"} <= set(APP_VARIABLES)
    assert set(APP_VARIABLES) == {setting.env for setting in SETTINGS}
