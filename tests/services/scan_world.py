"""A ScanService wired to real SQLite storage and the recording fakes, for the scan and feed-health tests.

Imported as `scan_world` (pytest puts this directory on sys.path); the `world` fixture in each test
module builds one from the `storage` and `clock` fixtures of conftest.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from service_fakes import (
    IDLIB,
    FakeClock,
    FakeDetector,
    FakeFetcher,
    FakeFetchResult,
    FakeParsedFeed,
    FakeParser,
    FakeTranslator,
)

from bot.adapters.storage.database import Storage
from bot.core.models import Concept, Feed, FeedConfig, ParsedEntry
from bot.services.scan import ScanService
from bot.services.translation import TranslationService

INTERVAL = timedelta(minutes=5)
NEWS = FeedConfig("Syria News", "https://news.example/rss", "en")
OTHER = FeedConfig("Other Wire", "https://other.example/rss", "en")


class NoJitter:
    """An rng whose jitter is always zero, so schedule times are exact."""

    def random(self) -> float:
        return 0.0


def entry(identity: str, title: str, clock: FakeClock, *, summary: str = "", lang: str = "en",
          age: timedelta = timedelta(minutes=10)) -> ParsedEntry:
    return ParsedEntry(identity=identity, title=title, summary=summary, link=f"https://news.example/{identity}",
                       guid=identity, published_at=clock() - age, lang=lang)


class World:
    """Storage, fakes and a ScanService wired together; `options` go to ScanService as they are."""

    def __init__(self, storage: Storage, clock: FakeClock, translator: FakeTranslator | None = None, *,
                 timeout: float = 5.0, fetcher: Any = None, parser: Any = None, **options: Any) -> None:
        self.storage = storage
        self.clock = clock
        self.fetcher = fetcher if fetcher is not None else FakeFetcher()
        self.parser = parser if parser is not None else FakeParser()
        self.translator = translator or FakeTranslator()
        self.translation = TranslationService(storage, self.translator, clock, timeout=timeout)
        options.setdefault("rng", NoJitter())
        self.scan = ScanService(storage, self.fetcher, self.parser, FakeDetector(), self.translation, clock,
                                interval=INTERVAL, max_entry_age=timedelta(days=1), **options)

    async def add_feeds(self, *feeds: FeedConfig) -> None:
        await self.storage.sync_feeds(list(feeds), self.clock())

    def serve(self, feed: FeedConfig, *entries: ParsedEntry, body: bytes | None = None, **extra: Any) -> None:
        """Answer `feed` with a 200 whose body parses to `entries`; `extra` goes to the fake fetch result
        (e.g. max_age_seconds) or, for `ttl_seconds`, to the parsed feed."""
        body = body or feed.url.encode()
        ttl = extra.pop("ttl_seconds", None)
        self.fetcher.responses[feed.url] = FakeFetchResult(body=body, final_url=feed.url, etag='"v1"', **extra)
        self.parser.feeds[body] = FakeParsedFeed(lang=feed.lang, entries=list(entries), ttl_seconds=ttl)

    def unchanged(self, feed: FeedConfig, **extra: Any) -> None:
        """Answer `feed` with a 304."""
        self.fetcher.responses[feed.url] = FakeFetchResult(body=None, not_modified=True, final_url=feed.url, **extra)

    async def subscribe(self, chat_id: int, language: str, concept: Concept = IDLIB) -> None:
        assert await self.storage.subscribe(chat_id, language, [concept], self.clock())

    async def feed(self, url: str) -> Feed:
        return next(f for f in await self.storage.list_feeds() if f.url == url)
