"""Several `python -m bot run --role worker` processes on one PostgreSQL database, for the multi-worker
end-to-end tests and scripts/bench_workers.py.

`WorkerCluster` creates a database of its own on the PostgreSQL server of TEST_DATABASE_URL (and drops
it afterwards, so parallel test runs never meet), seeds feeds and subscribers directly through
`Storage` (faster than 500 /start round trips), starts a fake Bot API, a fake feed server with many
feeds, and N workers. `publish()` puts Idlib stories on distinct feeds; `copies()` counts, from what the
fake Bot API accepted, how many messages carried each story to each chat. What each worker did is read
from its row in the `workers` table (feeds claimed, alerts and messages sent), and who holds outbox
leases from `outbox.leased_by`; a worker's id ends with its process id, which maps it to its process.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.adapters.config_files import load_concepts, load_feeds
from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from fakes.app_process import REPO_ROOT, BotProcess
from fakes.bot_api import FakeBotApi
from fakes.feeds import FakeFeedServer, FeedItem
from fakes.rate_limits import TelegramLimits

TOKEN = "123456:WORKERS-token"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
FIRST_CHAT = 700_000
TOWNS = ("Saraqib", "Maarat al-Numan", "Jisr al-Shughur", "Khan Shaykhun", "Kafranbel", "Taftanaz", "Sarmada",
         "Salqin", "Darkush", "Armanaz", "Kafr Takharim", "Hazano", "Maarat Misrin", "Kansafra", "Kafr Uwayd",
         "Tell Afis", "Abu al-Duhur", "Jarjanaz")
"""Towns of the gazetteer: a report per town is a story of its own (more stories than towns repeat them)."""


def server_url() -> str:
    """The PostgreSQL server the tests use (TEST_DATABASE_URL; its database is only used to connect)."""
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER


async def _admin(sql: str) -> None:
    url = make_url(server_url()).set(drivername="postgresql")
    try:
        conn = await asyncpg.connect(url.render_as_string(hide_password=False), timeout=10)
    except Exception as error:
        raise AssertionError(f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable "
                             f"({type(error).__name__}: {error}); the multi-worker tests need it") from None
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def worker_settings(workers: int) -> dict[str, str]:
    """Fast ticks, short leases, a rate the fake Bot API allows; overridable per cluster."""
    return {
        "SCAN_INTERVAL_SECONDS": "1", "SEND_INTERVAL_SECONDS": "0.5", "WORKER_HEARTBEAT_SECONDS": "2",
        "FEED_LEASE_SECONDS": "6", "SEND_LEASE_SECONDS": "6", "SEND_RATE_PER_SECOND": "400",
        "SEND_CONCURRENCY": "8", "FETCH_CONCURRENCY": "20", "FETCH_PER_HOST_CONCURRENCY": "20",
        "TRANSLATOR": "none", "LOG_LEVEL": "INFO",
    }


class WorkerCluster:
    """A database, the fakes and `workers` worker processes; use `async with`."""

    def __init__(self, workdir: Path, *, workers: int = 2, feeds: int = 200, subscribers: int = 500,
                 settings: dict[str, str] | None = None, limits: TelegramLimits | None = None,
                 send_delay: float = 0.0) -> None:
        self.workdir = workdir
        self.database = f"test_workers_run_{secrets.token_hex(4)}"
        self.database_url = make_url(server_url()).set(database=self.database).render_as_string(hide_password=False)
        self.feed_paths = [f"/wire/{i:03d}.xml" for i in range(feeds)]
        self.chats = list(range(FIRST_CHAT, FIRST_CHAT + subscribers))
        self.api = FakeBotApi(TOKEN, limits=limits, send_delay=send_delay)
        self.feeds = FakeFeedServer()
        self.settings = {**worker_settings(workers), **(settings or {})}
        self.processes: list[BotProcess] = []
        self.worker_count = workers
        self.storage: Storage | None = None
        self.stories = 0

    async def __aenter__(self) -> Self:
        await _admin(f'CREATE DATABASE "{self.database}"')
        try:
            await self.api.start()
            await self.feeds.start()
            await self._seed()
            for index in range(self.worker_count):
                await self.add_worker(index)
            await self.wait_for_workers(self.worker_count)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await asyncio.gather(*(process.stop() for process in self.processes))
        if self.storage is not None:
            await self.storage.close()
        await self.feeds.stop()
        await self.api.stop()
        await _admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    @property
    def store(self) -> Storage:
        assert self.storage is not None, "use the cluster with `async with`"
        return self.storage

    async def _seed(self) -> None:
        feeds_file = self.workdir / "feeds.toml"
        feeds_file.write_text("".join(
            f'[[feeds]]\nname = "Wire {i:03d}"\nurl = "{self.feeds.url(path)}"\nlang = "en"\n\n'
            for i, path in enumerate(self.feed_paths)), encoding="utf-8")
        for i, path in enumerate(self.feed_paths):
            self.feeds.set_items(path, [], lang="en", title=f"Wire {i:03d}")
        self.feeds_file = feeds_file
        self.storage = await Storage.connect(self.database_url)
        now = datetime.now(UTC)
        await self.storage.sync_feeds(load_feeds(feeds_file), now)
        concepts = load_concepts(REPO_ROOT / "config" / "keywords.toml")
        for chat_id in self.chats:
            await self.storage.subscribe(chat_id, "en", concepts, now)

    async def add_worker(self, index: int, role: str = "worker") -> BotProcess:
        """Start one more process on the cluster's database (a worker, or an `updates` process)."""
        settings = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": self.api.url, "DATABASE_URL": self.database_url,
                    "FEEDS_FILE": str(self.feeds_file), **self.settings}
        process = BotProcess(settings, REPO_ROOT, self.workdir / f"{role}-{index}.log", role=role)
        await process.start()
        self.processes.append(process)
        return process

    async def wait_for_workers(self, count: int, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        """Until `count` workers are live (they heartbeat), so that claims are already shared."""
        await self.wait_until(lambda rows: sum(1 for r in rows if r["stopped_at"] is None) >= count, timeout,
                              f"{count} live workers")

    async def wait_until(self, predicate: Any, timeout: float, what: str) -> None:  # noqa: ASYNC109
        """Poll the workers table every 0.2 s until `predicate(rows)`; fail with the logs if a worker dies."""
        deadline = time.monotonic() + timeout
        while not predicate(await self.worker_rows()):
            for process in self.processes:
                assert process.alive or process.process is None or process.process.returncode == -9, (
                    f"a worker exited while waiting for {what}\n{process.log_tail()}")
            assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
            await asyncio.sleep(0.2)

    async def worker_rows(self) -> list[dict[str, Any]]:
        async with self.store.engine.connect() as conn:
            return [dict(row) for row in (await conn.execute(select(db.workers))).mappings()]

    async def leaseholders(self, now: datetime) -> Counter[str]:
        """Pending outbox rows under a live lease, by holder."""
        o = db.outbox
        query = (select(o.c.leased_by, func.count()).where(o.c.status == "pending", o.c.leased_until > now)
                 .group_by(o.c.leased_by))
        async with self.store.engine.connect() as conn:
            return Counter({holder: int(n) for holder, n in await conn.execute(query)})

    def process_of(self, worker_id: str) -> BotProcess:
        pid = int(worker_id.rsplit("-", 2)[1])
        return next(p for p in self.processes if p.process is not None and p.process.pid == pid)

    def publish(self, stories: int, *, start_feed: int = 0) -> list[str]:
        """`stories` new Idlib reports of different events (each in its own town, so they are different
        stories and each one is a new alert), each on its own feed (round robin from `start_feed`); their links."""
        links = []
        for k in range(stories):
            self.stories += 1
            link = f"https://news.example/idlib/story-{self.stories:05d}.html"
            path = self.feed_paths[(start_feed + k) % len(self.feed_paths)]
            town = TOWNS[(self.stories - 1) % len(TOWNS)]
            self.feeds.add_items(path, [FeedItem(f"Shelling reported in {town}, Idlib province", link,
                                                 f"Residents of {town} describe the night.")])
            links.append(link)
        return links

    def copies(self, links: Iterable[str]) -> Counter[tuple[int, str]]:
        """How many accepted messages carried each link to each chat."""
        wanted = list(links)
        found: Counter[tuple[int, str]] = Counter()
        for message in self.api.sent:
            text = str(message.get("text", ""))
            for link in wanted:
                if link in text:
                    found[int(message["chat_id"]), link] += 1
        return found

    async def wait_delivered(self, links: list[str], timeout: float) -> None:  # noqa: ASYNC109
        """Until every chat got every link at least once."""
        expected = len(self.chats) * len(links)
        await self.wait_until(lambda _: len(self.copies(links)) >= expected, timeout,
                              f"{expected} alerts ({len(links)} stories x {len(self.chats)} chats)")
