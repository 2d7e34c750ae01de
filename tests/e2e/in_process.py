"""The real application, wired exactly as `python -m bot run` wires it, but inside the test's process.

`InProcessApp` stands in for `fakes.BotProcess` (same `wait_until`, `alive`, `log_text`): updates the
fake Bot API queued are handed to `Application.process_update` as PTB's own `Update` objects (no
polling), and the scan and send jobs run when a test waits, as `Job.run` (no scheduler timing). Replies
still go through python-telegram-bot's HTTP client to the fake Bot API on 127.0.0.1, so a test asserts
on the same recorded messages as with the subprocess, without starting a Python process, importing
the bot and migrating a database for every test. The subprocess tests in test_end_to_end.py,
test_workers.py, test_crash_safety.py, test_webhook.py and test_feed_faults.py keep checking the
wiring of a real process (signals, polling, webhooks, restarts, several processes).
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeBotApi, FakeFeedServer, FakeLibreTranslate
from telegram import Update
from telegram.ext import Application
from test_end_to_end import (
    ADMIN,
    BOT_TOKEN,
    FEEDS,
    OLD_ITEMS,
    STARTUP,
    Harness,
    assert_token_not_logged,
    write_feeds_file,
)

from bot.app import build_application
from bot.settings import Settings

TICK = 0.2
"""How often, while a test waits, the scan and send jobs run (the subprocess runs them every second)."""


class InProcessApp:
    """One application in this process; `start` runs what `run_polling` would run before polling."""

    def __init__(self, settings: Mapping[str, str], api: FakeBotApi) -> None:
        self.settings = Settings.from_env({**settings, "ALLOW_PRIVATE_FEED_ADDRESSES": "true"})
        self.api = api
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.handled_through = 0
        self.last_tick = 0.0
        self._log = io.StringIO()
        self._log_handler = logging.StreamHandler(self._log)
        self._level = logging.NOTSET

    async def start(self) -> None:
        logger = logging.getLogger("bot")
        logger.addHandler(self._log_handler)
        self._level = logger.level
        logger.setLevel(logging.DEBUG)
        app = build_application(self.settings, role="all")
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        self.app = app
        self.handled_through = max((u["update_id"] for u in self.api.pending_updates), default=0)

    async def stop(self) -> int | None:
        if self.app is not None:
            app, self.app = self.app, None
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            await app.shutdown()
        logger = logging.getLogger("bot")
        logger.removeHandler(self._log_handler)
        logger.setLevel(self._level)
        return 0

    @property
    def alive(self) -> bool:
        return self.app is not None

    def log_text(self) -> str:
        return self._log.getvalue()

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def handle_updates(self) -> int:
        """Hand every update queued since the last call to the application, in order; how many there were."""
        assert self.app is not None, "the application is not running"
        fresh = [u for u in self.api.pending_updates if u["update_id"] > self.handled_through]
        for raw in fresh:
            self.handled_through = raw["update_id"]
            await self.app.process_update(Update.de_json(raw, self.app.bot))
        return len(fresh)

    async def tick(self) -> None:
        """One scan tick, then one send tick (what the job queue runs every interval)."""
        assert self.app is not None and self.app.job_queue is not None
        self.last_tick = time.monotonic()
        for name in ("scan", "send"):
            for job in self.app.job_queue.get_jobs_by_name(name):
                await job.run(self.app)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        """Handle updates and run ticks until `predicate` holds; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for: {what}\n--- log ---\n{self.log_tail()}")
            if await self.handle_updates():
                continue
            if time.monotonic() - self.last_tick >= TICK:
                await self.tick()
            else:
                await asyncio.sleep(0.02)

    async def run_for(self, seconds: float) -> None:
        """Keep handling updates and ticking for `seconds` (so that stray or duplicate messages would show)."""
        deadline = time.monotonic() + seconds
        await self.wait_until(lambda: time.monotonic() >= deadline, seconds + 60, f"{seconds}s to pass")


class InProcessHarness(Harness):
    """The end-to-end harness on an `InProcessApp`: the same user-level helpers and waits."""

    app: InProcessApp  # type: ignore[assignment]

    async def settle(self, seconds: float = 2.5) -> None:
        await self.app.run_for(seconds)

    async def start(self) -> None:
        await self.app.start()
        await self.app.wait_until(
            lambda: all(self.feeds.requests_for(path) for _, path in FEEDS.values()), STARTUP,
            "the bot to fetch every feed once")


@pytest.fixture
def extra_settings() -> dict[str, str]:
    """Settings a test module adds to the harness's: override this fixture in the module."""
    return {}


@pytest.fixture
async def harness(bot_api: FakeBotApi, feed_server: FakeFeedServer, translator: FakeLibreTranslate,
                  tmp_path: Path, extra_settings: dict[str, str]) -> AsyncIterator[InProcessHarness]:
    """The bot in this process against the fakes, set up as test_end_to_end's subprocess harness (plus
    `extra_settings`)."""
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
        "ADMIN_IDS": str(ADMIN),
        **extra_settings,
    }
    h = InProcessHarness(bot_api, feed_server, translator, InProcessApp(settings, bot_api))  # type: ignore[arg-type]
    try:
        await h.start()
        yield h
    finally:
        await h.app.stop()
        assert_token_not_logged(h.app.log_text())
