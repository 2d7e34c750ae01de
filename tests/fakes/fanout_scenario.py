"""A crash scenario shared by the kill -9 end-to-end test and scripts/bench_kill.py.

The real bot (`python -m bot run`) runs against the fake Bot API and one fake English feed. Many
subscribers /start; then, story after story, an Idlib report is published, the bot is killed with
SIGKILL while it is fanning the alert out, and restarted. `KillResult` counts, per story, the
subscribers who never got the alert (losses) and the extra copies (duplicates), from what the fake
Bot API accepted, and how long after the restarted bot's first poll the last one arrived (recovery).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from fakes.app_process import REPO_ROOT, BotProcess
from fakes.bot_api import FakeBotApi
from fakes.feeds import FakeFeedServer, FeedItem

TOKEN = "123456:CRASH-token"
FEED_PATH = "/feeds/en.xml"
FIRST_CHAT = 5000


@dataclass(frozen=True)
class KillResult:
    """What one killed fan-out left behind, once the restarted bot finished it."""

    accepted_before_kill: int
    losses: int
    duplicates: int
    recovery_seconds: float = 0.0
    """From the restarted bot's first getUpdates to the last subscriber's copy of the alert."""


class FanoutScenario:
    """Fakes plus a restartable bot; use `async with`, then `subscribe_all()` and `kill_during_fanout()`."""

    def __init__(self, workdir: Path, *, subscribers: int = 40, concurrency: int = 1, rate: float = 10.0,
                 send_delay: float = 0.01, lease_seconds: float = 2.0, seed: int = 7,
                 quiet_after: float | None = None) -> None:
        """`quiet_after`: how long to watch for late repeats after each fan-out completes (default: two
        leases and a second, long enough for any row whose lease ran out to be sent again)."""
        self.workdir = workdir
        self.chats = list(range(FIRST_CHAT, FIRST_CHAT + subscribers))
        self.api = FakeBotApi(TOKEN, send_delay=send_delay)
        self.feeds = FakeFeedServer()
        self.settings = {"SEND_CONCURRENCY": str(concurrency), "SEND_RATE_PER_SECOND": str(rate),
                         "SEND_LEASE_SECONDS": str(lease_seconds)}
        self.rng = random.Random(seed)
        self.stories = 0
        self.bot: BotProcess | None = None
        self.quiet_after = 2.0 * lease_seconds + 1.0 if quiet_after is None else quiet_after

    async def __aenter__(self) -> Self:
        await self.api.start()
        await self.feeds.start()
        self.feeds.set_items(FEED_PATH, [], lang="en", title="Crash Wire")
        feeds_file = self.workdir / "feeds.toml"
        feeds_file.write_text(f'[[feeds]]\nname = "Crash Wire"\nurl = "{self.feeds.url(FEED_PATH)}"\nlang = "en"\n',
                              encoding="utf-8")
        settings = {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": self.api.url,
            "DATABASE_URL": f"sqlite:///{self.workdir / 'bot.sqlite3'}", "FEEDS_FILE": str(feeds_file),
            "SCAN_INTERVAL_SECONDS": "0.5", "SEND_INTERVAL_SECONDS": "0.2", "TRANSLATOR": "none",
            "LOG_LEVEL": "INFO", **self.settings,
        }
        self.bot = BotProcess(settings, REPO_ROOT, self.workdir / "bot.log")
        await self.bot.start()
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

    async def subscribe_all(self, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        """Every chat sends /start and gets its reply."""
        for chat_id in self.chats:
            self.api.user_sends(chat_id, "/start")
        await self.process.wait_until(lambda: all(self.api.messages_to(c) for c in self.chats), timeout,
                                      "a reply to /start in every chat")

    def copies(self, url: str) -> Counter[int]:
        """How many messages showing `url` each chat received."""
        return Counter(int(m["chat_id"]) for m in self.api.sent if url in str(m.get("text", "")))

    async def kill_during_fanout(self, timeout: float = 60.0) -> KillResult:  # noqa: ASYNC109
        """Publish a story, SIGKILL the bot once part of the fan-out is accepted, restart, count."""
        self.stories += 1
        url = f"https://news.example/en/idlib-story-{self.stories}"
        self.feeds.add_items(FEED_PATH, [FeedItem(f"Shelling near Idlib, report {self.stories}", url)])
        kill_at = self.rng.randint(1, len(self.chats) - 2)
        await self.process.wait_until(lambda: sum(self.copies(url).values()) >= kill_at, timeout,
                                      f"{kill_at} alerts for story {self.stories}")
        await self.process.kill()
        accepted = sum(self.copies(url).values())
        polls = len(self.api.calls_to("getUpdates"))
        await self.process.start()
        await self.process.wait_until(lambda: len(self.api.calls_to("getUpdates")) > polls, timeout,
                                      "the restarted bot's first poll")
        first_poll = time.monotonic()
        await self.process.wait_until(lambda: all(self.copies(url)[c] for c in self.chats), timeout,
                                      f"story {self.stories} in every chat after the restart")
        last = max(float(m["sent_at"]) for m in self.api.sent if url in str(m.get("text", "")))
        await self._quiet_for(self.quiet_after)
        copies = self.copies(url)
        return KillResult(accepted_before_kill=accepted,
                          losses=sum(1 for c in self.chats if copies[c] == 0),
                          duplicates=sum(n - 1 for n in copies.values() if n > 1),
                          recovery_seconds=max(0.0, last - first_poll))

    async def _quiet_for(self, seconds: float) -> None:
        """Let the bot run long enough for any late repeat to show up."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.alive, f"the bot exited\n{self.process.log_tail()}"
            await asyncio.sleep(0.1)
