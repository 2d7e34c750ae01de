"""With METRICS_PORT set, the running bot serves Prometheus metrics, and they move when a scan finds news."""

from __future__ import annotations

import asyncio
import re
import socket
import urllib.request
from pathlib import Path

from fakes import BotProcess, FakeBotApi, FakeFeedServer, FakeLibreTranslate, FeedItem
from fakes.app_process import REPO_ROOT

PREFIX = "idlib_bot_"
NAMES = ("feeds_checked_total", "entries_new_total", "matches_total", "alerts_queued_total", "alerts_sent_total",
         "alerts_failed_total", "telegram_429_total", "outbox_depth", "outbox_oldest_due_age_seconds",
         "publish_to_alert_seconds", "translator_calls_total", "scan_cycle_seconds")
CHAT = 4242
BOT_TOKEN = "123456:TEST-token"  # what the bot_api fixture (conftest.py) accepts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


def value(text: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(PREFIX + sample)} (\S+)$", text, flags=re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_the_endpoint_serves_every_figure_after_a_scan(
        tmp_path: Path, bot_api: FakeBotApi, feed_server: FakeFeedServer, translator: FakeLibreTranslate) -> None:
    feed_server.set_items("tr.xml", [FeedItem("Hava durumu", "https://tr.example/0")], lang="tr")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Haber"\nurl = "{feed_server.url("tr.xml")}"\nlang = "tr"\n')
    port = free_port()
    app = BotProcess({"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": bot_api.url, "FEEDS_FILE": str(feeds),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", "SCAN_INTERVAL_SECONDS": "1",
                      "WORKER_HEARTBEAT_SECONDS": "0.5", "TRANSLATOR": "libre",
                      "LIBRETRANSLATE_URL": translator.url, "METRICS_PORT": str(port)}, REPO_ROOT,
                     tmp_path / "bot.log")
    await app.start()
    try:
        bot_api.user_sends(CHAT, "/start", language_code="en")
        await bot_api.wait_for_messages(CHAT, 1, timeout=60)
        feed_server.add_items("tr.xml", [FeedItem("İdlib'de çatışmalar sürüyor", "https://tr.example/1")])
        alert = await bot_api.wait_for_message(CHAT, lambda m: "tr.example/1" in m["visible_text"], timeout=60)
        assert "[en]" in alert["visible_text"]  # translated through the chain
        text = ""
        for _ in range(100):  # the sampler reports at the next heartbeat
            text = await asyncio.to_thread(scrape, port)
            if value(text, "publish_to_alert_seconds_count") >= 1:
                break
            await asyncio.sleep(0.2)
    finally:
        await app.stop()

    for name in NAMES:
        assert f"# HELP {PREFIX}{name} " in text, name
    assert value(text, 'feeds_checked_total{result="ok"}') >= 1
    assert value(text, "entries_new_total") >= 1 and value(text, "matches_total") >= 1
    assert value(text, "alerts_queued_total") >= 1 and value(text, "alerts_sent_total") >= 1
    assert value(text, 'translator_calls_total{provider="libre",result="ok"}') >= 1
    assert value(text, "publish_to_alert_seconds_count") >= 1 and value(text, "scan_cycle_seconds_count") >= 1
