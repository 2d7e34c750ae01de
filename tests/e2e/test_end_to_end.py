"""End-to-end: the real application (``python -m bot run``) against fake Telegram, feeds and translator.

The tests talk to the bot the way a user does (commands into a private chat through the fake Bot API)
and assert only on what users would read: the messages the bot sends to their chat ids. Feeds change
by publishing items on the fake feed server; waits return as soon as the awaited message arrives.
Negative checks ("no alert") are made against a positive control in the same scan (another item in
the same fetch, or another subscriber), then after a further settle period of several scan intervals.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes import BotProcess, FakeBotApi, FakeFeedServer, FakeLibreTranslate, FeedItem
from fakes.app_process import REPO_ROOT

from bot.core.delivery.batching import SEPARATOR

pytestmark = pytest.mark.e2e

BOT_TOKEN = "123456:TEST-token"
USER = 1001  # the subscriber whose experience is checked
OTHER = 1002  # a second subscriber, used as a positive control
ADMIN = 4242
WAIT = 15.0  # generous upper bound; every wait returns as soon as its condition holds
STARTUP = 25.0
SETTLE = 2.5  # more than two scan intervals (SCAN_INTERVAL_SECONDS=1)

FEEDS: dict[str, tuple[str, str]] = {  # lang -> (name, path)
    "ar": ("Fake Arabic Wire", "/feeds/ar.xml"),
    "tr": ("Fake Turkish Wire", "/feeds/tr.xml"),
    "ru": ("Fake Russian Wire", "/feeds/ru.xml"),
    "en": ("Fake English Wire", "/feeds/en.xml"),
}
OLD_DATE = "Mon, 06 Jan 2020 10:00:00 GMT"
OLD_ITEMS: dict[str, FeedItem] = {  # already in the feeds at start-up; old and off-topic
    "ar": FeedItem("أسعار الذهب في الأسواق", "https://news.example/ar/gold-old", pub_date=OLD_DATE),
    "tr": FeedItem("Altın fiyatları yükseldi", "https://news.example/tr/altin-old", pub_date=OLD_DATE),
    "ru": FeedItem("Курс рубля снизился", "https://news.example/ru/rubl-old", pub_date=OLD_DATE),
    "en": FeedItem("Gold prices edge higher", "https://news.example/en/gold-old", pub_date=OLD_DATE),
}
FILLER_TITLES = {  # off-topic news published later
    "ar": "توقعات الطقس لنهاية الأسبوع",
    "tr": "Hafta sonu hava durumu",
    "ru": "Прогноз погоды на выходные",
    "en": "Weekend weather forecast",
}

Message = dict[str, Any]


def link(lang: str, slug: str) -> str:
    """A unique, canonical article URL (lower case, no query, no trailing slash)."""
    return f"https://news.example/{lang}/{slug}-{uuid.uuid4().hex[:10]}"


def shows(message: Message, fragment: str) -> bool:
    """Whether the user can see ``fragment`` in the message (as text, or as a link target)."""
    return fragment in message["visible_text"] or fragment in str(message.get("text", ""))


def alerts_in(message: Message) -> list[Message]:
    """Each alert of a message that groups a chat's backlog, as a message of its own."""
    mark = SEPARATOR.strip()
    visible, raw = message["visible_text"].split(mark), str(message.get("text", "")).split(mark)
    if len(visible) != len(raw):
        return [message]
    return [{**message, "visible_text": v.strip(), "text": r.strip()} for v, r in zip(visible, raw, strict=True)]


@dataclass
class Harness:
    """The fakes, the running bot, and user-level helpers."""

    api: FakeBotApi
    feeds: FakeFeedServer
    translator: FakeLibreTranslate
    app: BotProcess

    # -- talking to the bot ------------------------------------------------------------------------
    def inbox(self, chat_id: int) -> list[Message]:
        return self.api.messages_to(chat_id)

    async def ask(
        self,
        chat_id: int,
        text: str,
        *,
        expect: Callable[[Message], bool] | None = None,
        language_code: str = "en",
        what: str | None = None,
    ) -> list[Message]:
        """Send ``text`` as the user and wait for a reply (one satisfying ``expect`` if given);
        returns every message that arrived since the command was sent."""
        since = len(self.inbox(chat_id))
        self.api.user_sends(chat_id, text, language_code=language_code)

        def replied() -> bool:
            new = self.inbox(chat_id)[since:]
            return any(expect(m) for m in new) if expect else bool(new)

        await self.app.wait_until(
            replied, WAIT, what or f"a reply to {text!r} in chat {chat_id}; got {self.texts(chat_id, since)}"
        )
        return self.inbox(chat_id)[since:]

    def texts(self, chat_id: int, since: int = 0) -> list[str]:
        return [m["visible_text"] for m in self.inbox(chat_id)[since:]]

    # -- news ----------------------------------------------------------------------------------------
    def publish(self, lang: str, *items: FeedItem) -> None:
        self.feeds.add_items(FEEDS[lang][1], list(items), lang=lang)

    def alerts_with(self, chat_id: int, url: str) -> list[Message]:
        """The alerts (one message may carry several, see bot/core/delivery/batching.py) that show `url`."""
        return [alert for m in self.inbox(chat_id) for alert in alerts_in(m) if shows(alert, url)]

    async def wait_for_alerts(self, chat_id: int, urls: Sequence[str], timeout: float = WAIT) -> None:  # noqa: ASYNC109
        await self.app.wait_until(
            lambda: all(self.alerts_with(chat_id, u) for u in urls),
            timeout,
            f"alerts in chat {chat_id} for {list(urls)}; got {self.texts(chat_id)}",
        )

    async def settle(self, seconds: float = SETTLE) -> None:
        """Let a few scan/send cycles run (so duplicates or stray alerts would have shown up)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.app.alive, f"the bot exited\n{self.app.log_tail()}"
            await asyncio.sleep(0.1)

    # -- process -------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the bot and wait until it polls Telegram and has fetched every feed once."""
        calls_before = len(self.api.calls)
        fetches_before = {lang: len(self.feeds.requests_for(path)) for lang, (_, path) in FEEDS.items()}
        await self.app.start()
        await self.app.wait_until(
            lambda: any(name == "getUpdates" for name, _ in self.api.calls[calls_before:]),
            STARTUP,
            "the bot to start polling getUpdates",
        )
        await self.app.wait_until(
            lambda: all(len(self.feeds.requests_for(path)) > fetches_before[lang] for lang, (_, path) in FEEDS.items()),
            STARTUP,
            "the bot to fetch every feed once",
        )

    async def stop(self) -> int | None:
        return await self.app.stop()


def write_feeds_file(path: Path, feeds: FakeFeedServer) -> None:
    lines = []
    for lang, (name, feed_path) in FEEDS.items():
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{feeds.url(feed_path)}"', f'lang = "{lang}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
async def harness(
    bot_api: FakeBotApi,
    feed_server: FakeFeedServer,
    translator: FakeLibreTranslate,
    tmp_path: Path,
    extra_settings: dict[str, str],
) -> AsyncIterator[Harness]:
    for lang, (_, feed_path) in FEEDS.items():
        feed_server.set_items(feed_path, [OLD_ITEMS[lang]], lang=lang, title=FEEDS[lang][0])
    feeds_file = tmp_path / "feeds.toml"
    write_feeds_file(feeds_file, feed_server)
    settings = {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": bot_api.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "FEEDS_FILE": str(feeds_file),
        "SCAN_INTERVAL_SECONDS": "1",
        "TRANSLATOR": "libre",
        "LIBRETRANSLATE_URL": translator.url,
        "LOG_LEVEL": "DEBUG",
        "ADMIN_IDS": str(ADMIN),
        **extra_settings,
    }
    # run from the repository root, as the Procfile does on Heroku (relative defaults such as
    # config/keywords.toml resolve there); everything written at run time is under tmp_path
    app = BotProcess(settings, REPO_ROOT, tmp_path / "bot.log")
    h = Harness(bot_api, feed_server, translator, app)
    try:
        await h.start()
        yield h
    finally:
        code = await app.stop()
        assert_token_not_logged(app.log_text())
        # shown by pytest only when the test fails
        print(f"===== bot output (exit code {code}; log at {app.log_path}) =====")
        print(app.log_text()[-60_000:])
        print("===== bot API calls =====")
        for method, params in bot_api.calls:
            if method != "getUpdates":
                print(method, params)


# ------------------------------------------------------------------------------------------------------


async def test_stop_and_restart_never_repeat_or_skip(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    await h.ask(OTHER, "/start")

    first = FeedItem("Shelling reported near Idlib", link("en", "first"), "Local sources report shelling.")
    h.publish("en", first)
    await h.wait_for_alerts(USER, [first.link])
    await h.wait_for_alerts(OTHER, [first.link])

    # /stop ends the alerts for that user only
    await h.ask(USER, "/stop")
    user_seen = len(h.inbox(USER))
    after_stop = FeedItem("Обстрел в Идлибе продолжается", link("ru", "after-stop"), "Сообщают местные источники.")
    h.publish("ru", after_stop)
    await h.wait_for_alerts(OTHER, [after_stop.link])
    await h.settle()
    assert h.texts(USER, user_seen) == [], "no alerts after /stop"

    # restart on the same database; news published while the bot is down is not lost
    exit_code = await h.stop()
    assert exit_code is not None, "the bot exits within 15 s of SIGTERM (Heroku allows 30 s)"
    other_seen = len(h.inbox(OTHER))
    while_down = FeedItem("قصف على مدينة إدلب", link("ar", "while-down"), "تقرير ميداني")
    h.publish("ar", while_down, FeedItem(FILLER_TITLES["ar"], link("ar", "weather")))
    for lang in ("tr", "ru", "en"):  # every feed changes, so the old items are served again with a 200
        h.publish(lang, FeedItem(FILLER_TITLES[lang], link(lang, "weather")))
    await h.start()

    await h.wait_for_alerts(OTHER, [while_down.link])
    for _, path in FEEDS.values():
        await h.feeds.wait_until_fetched(path, timeout=WAIT)
    await h.settle()
    new_texts = h.texts(OTHER, other_seen)
    assert len(new_texts) == 1, f"after the restart only the news published meanwhile arrives: {new_texts}"
    for item in (first, after_stop, while_down):
        assert len(h.alerts_with(OTHER, item.link)) == 1, f"{item.title} is alerted exactly once"
    assert h.texts(USER, user_seen) == [], "a user who stopped stays unsubscribed across restarts"

    # and the restarted bot keeps delivering, once
    later = FeedItem("Idlib: new displacement wave reported", link("en", "later"), "Camps are overcrowded.")
    h.publish("en", later)
    await h.wait_for_alerts(OTHER, [later.link])
    await h.settle()
    assert len(h.alerts_with(OTHER, later.link)) == 1
    assert h.texts(USER, user_seen) == []


async def test_delivery_survives_flood_limits_blocks_and_bad_markup(harness: Harness) -> None:
    h = harness
    flooded, blocker, picky = USER, OTHER, 1003
    for chat in (flooded, blocker, picky):
        await h.ask(chat, "/start")

    h.api.fail_with_flood(flooded, retry_after=1)  # Telegram asks the bot to slow down once
    h.api.block(blocker)  # the user blocks the bot
    h.api.fail_next_send(  # formatted text is refused for this chat; only plain text gets through
        picky,
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
        times=1000,
        only_with_parse_mode=True,
    )
    first = FeedItem("Idlib: shelling resumes near the M4 highway", link("en", "flood"), "Reports.")
    h.publish("en", first)
    await h.wait_for_alerts(flooded, [first.link])
    await h.wait_for_alerts(picky, [first.link])

    delivered = h.alerts_with(flooded, first.link)[0]
    refused = [f for f in h.api.failures if f["chat_id"] == flooded and f["error_code"] == 429]
    assert refused, "the 429 was injected"
    assert delivered["sent_at"] >= refused[0]["at"] + 0.95, "the bot waited retry_after before resending"
    plain = h.alerts_with(picky, first.link)[0]
    assert first.title in plain["visible_text"], "the plain-text resend still shows the title"

    second = FeedItem("Idlib countryside: new strikes reported", link("en", "after-block"), "Reports.")
    h.publish("en", second)
    await h.wait_for_alerts(flooded, [second.link])
    await h.settle()
    attempts_to_blocker = [f for f in h.api.failures if f["chat_id"] == blocker]
    assert len(attempts_to_blocker) <= 1, f"no more sends to a chat that blocked the bot: {attempts_to_blocker}"
    for chat in (flooded, picky):
        for item in (first, second):
            assert len(h.alerts_with(chat, item.link)) == 1, f"one alert for {item.title} in chat {chat}"

    # unblocking (Telegram then delivers /start) brings the alerts back
    await h.ask(blocker, "/start")
    third = FeedItem("Idlib: aid convoy crosses Bab al-Hawa", link("en", "unblocked"), "Reports.")
    h.publish("en", third)
    await h.wait_for_alerts(blocker, [third.link])

    # every request above carried the token in its URL; with LOG_LEVEL=DEBUG none of it is logged
    assert_token_not_logged(h.app.log_text())


def assert_token_not_logged(log: str) -> None:
    """Neither the token nor its secret half appears anywhere in the bot's output."""
    secret = BOT_TOKEN.split(":", 1)[1]
    assert log.strip(), "the bot wrote a log"
    assert BOT_TOKEN not in log and secret not in log, "the bot token leaked into the log"
