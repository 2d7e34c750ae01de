"""Webhook mode: with WEBHOOK_URL set, the bot registers the webhook with a secret token and listens on
PORT; a request without the X-Telegram-Bot-Api-Secret-Token header, or with a wrong one, is refused
(403) and changes nothing; a request carrying the right one is answered like a polled update."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fakes.app_process import REPO_ROOT, BotProcess
from fakes.bot_api import JSON, FakeBotApi

from bot.roles import webhook_secret
from bot.settings import Settings

pytestmark = pytest.mark.e2e

TOKEN = "123456:HOOK-token"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(TOKEN) as fake:
        yield fake


async def start_bot(api: FakeBotApi, tmp_path: Path, role: str, extra: dict[str, str]) -> tuple[BotProcess, str]:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/updates"
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("", encoding="utf-8")
    settings = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url, "FEEDS_FILE": str(feeds),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "TRANSLATOR": "none", "LOG_LEVEL": "DEBUG",
                "WEBHOOK_URL": hook, "WEBHOOK_LISTEN": "127.0.0.1", "PORT": str(port), **extra}
    bot = BotProcess(settings, REPO_ROOT, tmp_path / "bot.log", role=role)
    await bot.start()
    return bot, hook


async def post(client: httpx.AsyncClient, bot: BotProcess, url: str, update: JSON,
               secret: str | None) -> httpx.Response:
    """POST an update as Telegram would; connection errors are retried while the server starts."""
    headers = {} if secret is None else {HEADER: secret}
    for _ in range(300):
        try:
            return await client.post(url, json=update, headers=headers)
        except httpx.TransportError:
            assert bot.alive, f"the bot exited\n{bot.log_tail()}"
            await asyncio.sleep(0.05)
    raise AssertionError(f"the webhook server never answered\n{bot.log_tail()}")


@pytest.mark.parametrize(("role", "explicit_secret"), [("updates", None), ("all", "s3cret_Token-42")])
async def test_webhook_refuses_requests_without_the_secret_and_answers_the_rest(
        api: FakeBotApi, tmp_path: Path, role: str, explicit_secret: str | None) -> None:
    extra = {"WEBHOOK_SECRET": explicit_secret} if explicit_secret else {}
    expected = webhook_secret(Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **extra}))
    bot, hook = await start_bot(api, tmp_path, role, extra)
    try:
        registered = await api.wait_for_call("setWebhook", timeout=30)
        assert registered["url"] == hook and registered["secret_token"] == expected
        async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
            refused = [await post(client, bot, hook, api.user_sends(chat, "/start"), secret)
                       for chat, secret in ((11, None), (12, "wrong"), (13, expected + "x"))]
            accepted = await post(client, bot, hook, api.user_sends(14, "/start"), expected)
        await api.wait_for_messages(14, 1, timeout=30)
        log = bot.log_text()
    finally:
        assert await bot.stop() == 0, bot.log_tail()

    assert [r.status_code for r in refused] == [403, 403, 403]
    assert accepted.status_code == 200
    assert not any(api.messages_to(chat) for chat in (11, 12, 13))  # refused updates changed nothing
    assert not any(call == "getUpdates" for call, _ in api.calls)  # no polling beside the webhook
    assert expected not in log and TOKEN.split(":", 1)[1] not in log


def test_the_derived_secret_is_shared_by_every_process_of_one_bot_and_differs_between_bots() -> None:
    one = webhook_secret(Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}))
    assert one == webhook_secret(Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}))
    assert one != webhook_secret(Settings.from_env({"TELEGRAM_BOT_TOKEN": "654321:OTHER-token"}))
    assert len(one) == 64 and one.isalnum() and TOKEN.split(":", 1)[1] not in one
    explicit = {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "mine_1"}
    assert webhook_secret(Settings.from_env(explicit)) == "mine_1"
