"""A rush of new users, then alerts to all of them, against a Bot API that enforces Telegram's limits.

Shared by tests/e2e/test_burst.py and scripts/bench_burst.py. The real bot (`python -m bot run`) runs
against the fake Bot API with `TelegramLimits` (30 messages in any second, a private chat's burst then
one a second, 429 with `retry_after` beyond) and one fake English feed. `rush()` makes every chat send
/start at once and waits for every reply; `alerts()` publishes Idlib stories one after the other (each
fanned out to every chat before the next, so each is its own message) and waits until every chat has
every story. Both report what a user and an operator would see: replies, 429s the fake answered, and
tracebacks in the bot's log.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from fakes.app_process import REPO_ROOT, BotProcess
from fakes.bot_api import FakeBotApi
from fakes.feeds import FakeFeedServer, FeedItem
from fakes.rate_limits import TelegramLimits

TOKEN = "123456:BURST-token"
FEED_PATH = "/feeds/burst.xml"
FIRST_CHAT = 90_000
DISTINCT_STORIES = (
    "Shelling reported near Idlib city overnight",
    "Aid convoy enters Idlib province through Bab al-Hawa crossing",
    "Traffic reopens on the M4 highway near Saraqib in Syria",
    "Schools in Idlib hold an earthquake drill",
    "Power cuts hit hospitals in Idlib",
)
"""Reports on different events, so that story clustering keeps each its own alert message."""


@dataclass(frozen=True)
class Rush:
    """What a rush of /start left: chats answered, seconds from the rush to the last reply, 429s."""

    answered: int
    seconds: float
    refused: int


@dataclass(frozen=True)
class Alerts:
    """What a series of fan-outs left: messages, seconds from the first story to the last copy, copies."""

    messages: int
    seconds: float
    copies: Counter[tuple[int, str]]
    refused: int


class BurstScenario:
    """Fakes plus the bot; use `async with`, then `rush()` and `alerts()`."""

    def __init__(self, workdir: Path, *, chats: int = 300, rate: float = 29.0) -> None:
        self.workdir = workdir
        self.chats = list(range(FIRST_CHAT, FIRST_CHAT + chats))
        self.rate = rate
        self.api = FakeBotApi(TOKEN, limits=TelegramLimits(), send_delay=0.005)
        self.feeds = FakeFeedServer()
        self.bot: BotProcess | None = None

    async def __aenter__(self) -> Self:
        await self.api.start()
        await self.feeds.start()
        self.feeds.set_items(FEED_PATH, [], lang="en", title="Burst Wire")
        feeds_file = self.workdir / "feeds.toml"
        feeds_file.write_text(f'[[feeds]]\nname = "Burst Wire"\nurl = "{self.feeds.url(FEED_PATH)}"\nlang = "en"\n',
                              encoding="utf-8")
        settings = {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": self.api.url,
            "DATABASE_URL": f"sqlite:///{self.workdir / 'bot.sqlite3'}", "FEEDS_FILE": str(feeds_file),
            "SCAN_INTERVAL_SECONDS": "0.5", "SEND_INTERVAL_SECONDS": "0.2", "TRANSLATOR": "none",
            "SEND_RATE_PER_SECOND": str(self.rate), "LOG_LEVEL": "INFO",
        }
        self.bot = BotProcess(settings, REPO_ROOT, self.workdir / "bot.log")
        await self.bot.start()
        await self.bot.wait_until(lambda: bool(self.api.calls_to("getUpdates")), 60, "the bot's first poll")
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self.bot is not None:
            await self.bot.stop()
        await self.feeds.stop()
        await self.api.stop()

    @property
    def process(self) -> BotProcess:
        assert self.bot is not None, "use the scenario with `async with`"
        return self.bot

    def tracebacks(self) -> int:
        return self.process.log_text().count("Traceback")

    async def rush(self, timeout: float = 120.0) -> Rush:  # noqa: ASYNC109
        """Every chat sends /start at the same moment; wait for every reply."""
        refused = self.api.limits.refused if self.api.limits else 0
        started = time.monotonic()
        for chat_id in self.chats:
            self.api.user_sends(chat_id, "/start")
        await self.process.wait_until(lambda: all(self.api.messages_to(c) for c in self.chats), timeout,
                                      "a reply to /start in every chat")
        last = max(float(m["sent_at"]) for m in self.api.sent)
        answered = sum(1 for c in self.chats if self.api.messages_to(c))
        return Rush(answered, last - started, (self.api.limits.refused if self.api.limits else 0) - refused)

    async def alerts(self, stories: int, timeout: float = 120.0) -> Alerts:  # noqa: ASYNC109
        """Publish `stories` Idlib reports one after the other, each once every chat has the one before."""
        refused = self.api.limits.refused if self.api.limits else 0
        sent_before = len(self.api.sent)
        links = [f"https://news.example/en/idlib-burst-{k}" for k in range(1, stories + 1)]
        started = time.monotonic()
        for k, link in enumerate(links, 1):
            title = DISTINCT_STORIES[(k - 1) % len(DISTINCT_STORIES)]  # separate stories, not one story's updates
            self.feeds.add_items(FEED_PATH, [FeedItem(f"{title} ({k})", link)])
            await self.process.wait_until(lambda link=link: len(self._copies([link])) == len(self.chats),  # type: ignore[misc]
                                          timeout, f"story {k} in every chat")
        last = max(float(m["sent_at"]) for m in self.api.sent[sent_before:])
        return Alerts(len(self.api.sent) - sent_before, last - started, self._copies(links),
                      (self.api.limits.refused if self.api.limits else 0) - refused)

    def _copies(self, links: list[str]) -> Counter[tuple[int, str]]:
        found: Counter[tuple[int, str]] = Counter()
        for message in self.api.sent:
            text = str(message.get("text", ""))
            for link in links:
                if link in text:
                    found[int(message["chat_id"]), link] += 1
        return found
