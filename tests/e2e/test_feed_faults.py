"""End-to-end: the real bot keeps alerting from a healthy feed while another site hangs and a third feed
is broken; the admin hears once that the broken feed is failing and once that it works again.

Three feeds on two fake sites: one that accepts connections and never answers (the fetcher cuts it off
only after its 30-second deadline), one serving an HTML page instead of a feed, and a healthy one.
FEED_FAILURE_ALERT_MINUTES is a few seconds, so the failure notice comes during the test.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes import BotProcess, FakeBotApi, FakeFeedServer, FeedItem
from fakes.app_process import REPO_ROOT
from fakes.feed_faults import NOT_A_FEED_BODY, Fault

pytestmark = pytest.mark.e2e

BOT_TOKEN = "123456:TEST-token"
USER = 2001
ADMIN = 4343
WAIT = 20.0  # generous; every wait returns as soon as its condition holds, well before the 30 s hang ends
STARTUP = 25.0
RECOVERY = 45.0  # the broken feed is backing off (1, 2, 4, 8, 16 s...) when it is mended
HEALTHY, HANGING, BROKEN = "Healthy Wire", "Hanging Wire", "Broken Wire"


def write_feeds(path: Path, feeds: list[tuple[str, str]]) -> None:
    lines = []
    for name, url in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"', 'lang = "en"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
async def bad_site() -> AsyncIterator[FakeFeedServer]:
    async with FakeFeedServer() as server:
        yield server


@pytest.fixture
async def bot(bot_api: FakeBotApi, feed_server: FakeFeedServer, bad_site: FakeFeedServer,
              tmp_path: Path) -> AsyncIterator[BotProcess]:
    feed_server.set_items("/healthy.xml", [FeedItem("Weather", "https://news.example/weather",
                                                    pub_date="Mon, 06 Jan 2020 10:00:00 GMT")])
    bad_site.set_fault("/hanging.xml", Fault.hang())
    bad_site.set_raw("/broken.xml", NOT_A_FEED_BODY, "text/html")
    feeds_file = tmp_path / "feeds.toml"
    write_feeds(feeds_file, [(HEALTHY, feed_server.url("/healthy.xml")), (HANGING, bad_site.url("/hanging.xml")),
                             (BROKEN, bad_site.url("/broken.xml"))])
    app = BotProcess({
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": bot_api.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "FEEDS_FILE": str(feeds_file),
        "SCAN_INTERVAL_SECONDS": "1",
        "TRANSLATOR": "none",
        "ADMIN_IDS": str(ADMIN),
        "FEED_FAILURE_ALERT_MINUTES": "0.05",
        "ALLOW_PRIVATE_FEED_ADDRESSES": "true",
        "LOG_LEVEL": "DEBUG",
    }, REPO_ROOT, tmp_path / "bot.log")
    try:
        await app.start()
        await app.wait_until(lambda: bool(feed_server.requests_for("/healthy.xml")), STARTUP, "the first scan")
        yield app
    finally:
        code = await app.stop()
        print(f"===== bot output (exit code {code}) =====")
        print(app.log_text()[-40_000:])


def texts(api: FakeBotApi, chat_id: int) -> list[str]:
    return api.texts_to(chat_id)


async def test_healthy_alerts_arrive_while_feeds_hang_or_break_and_admins_hear_once(
        bot: BotProcess, bot_api: FakeBotApi, feed_server: FakeFeedServer, bad_site: FakeFeedServer) -> None:
    bot_api.user_sends(USER, "/start")
    await bot.wait_until(lambda: bool(texts(bot_api, USER)), WAIT, "a reply to /start")
    await bot.wait_until(lambda: bool(bad_site.requests_for("/hanging.xml")), WAIT, "the hanging feed is asked")

    link = "https://news.example/idlib-shelling"
    published = time.monotonic()
    feed_server.add_items("/healthy.xml", [FeedItem("Shelling reported in Idlib countryside", link)])
    await bot.wait_until(lambda: any(link in str(m.get("text")) for m in bot_api.messages_to(USER)), WAIT,
                         f"the healthy feed's alert; got {texts(bot_api, USER)}")
    assert time.monotonic() - published < 30, "the alert did not wait for the hanging feed's deadline"

    def failing_notices() -> list[str]:
        return [t for t in texts(bot_api, ADMIN) if BROKEN in t and "has been failing" in t]

    await bot.wait_until(lambda: bool(failing_notices()), WAIT, f"the failure notice; got {texts(bot_api, ADMIN)}")
    assert "not a feed" in failing_notices()[0]

    since = len(texts(bot_api, ADMIN))
    bot_api.user_sends(ADMIN, "/feeds")
    await bot.wait_until(lambda: any(BROKEN in t for t in texts(bot_api, ADMIN)[since:]), WAIT, "the /feeds reply")
    health = "\n".join(texts(bot_api, ADMIN)[since:])
    assert f"{BROKEN} [en] FAILING" in health and f"{HEALTHY} [en] OK" in health, health

    bad_site.set_items("/broken.xml", [FeedItem("Back online", "https://news.example/back")])
    await bot.wait_until(lambda: any(BROKEN in t and "works again" in t for t in texts(bot_api, ADMIN)), RECOVERY,
                         f"the recovery notice; admin got {texts(bot_api, ADMIN)}")
    assert len(failing_notices()) == 1, "one failure notice, never repeated"
    assert sum("works again" in t for t in texts(bot_api, ADMIN)) == 1
    assert await bot.stop() == 0, "a clean shutdown, with the hanging fetch still in flight"
