"""Feed administration: check a feed before adding it, remove it, report every feed's health (the lines
themselves are written by bot.core.feeds.feed_health), and exchange the feed list as OPML."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.feeds.feed_health import health_line
from bot.core.feeds.opml import Skipped, parse_opml, render_opml
from bot.core.interface.formatting import pack_lines
from bot.core.interface.i18n import N_
from bot.core.models import Feed, FeedConfig
from bot.errors import FeedError
from bot.services.ports import ChannelSource, FeedFetcher, FeedParser, FeedRecords

IMPORT_CONCURRENCY = 5
"""Feeds checked at once during an import."""


@dataclass
class ImportReport:
    """What an OPML import did: the feeds added, those already there, and those skipped with a reason."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class FeedAdminService:
    """What admins can do with feeds."""

    def __init__(self, store: FeedRecords, fetcher: FeedFetcher, parse: FeedParser,
                 clock: Callable[[], datetime], channels: ChannelSource | None = None) -> None:
        self.store = store
        self.channels = channels
        self.fetcher = fetcher
        self.parse = parse
        self.clock = clock

    async def add(self, feed: FeedConfig) -> tuple[Feed, int]:
        """Fetch and parse the URL first; save it only if it is a feed (or a readable public Telegram
        channel). Returns it with its item count."""
        if self.channels is not None and self.channels.handles(feed.url):
            _, posts = await self.channels.read(feed.url, None)
            return await self.store.add_feed(feed, self.clock()), len(posts.entries) if posts else 0
        result = await self.fetcher.fetch(feed.url)
        if result.body is None:
            raise FeedError("the server sent no content")
        parsed = await asyncio.to_thread(  # CPU-bound on a big or hostile feed: never on the event loop
            self.parse, result.body, url=result.final_url or feed.url, content_type=result.content_type)
        stored = await self.store.add_feed(feed, self.clock())
        return stored, len(parsed.entries)

    async def remove(self, name_or_url: str) -> bool:
        """Stop scanning a feed."""
        return await self.store.remove_feed(name_or_url)

    async def feeds(self) -> list[Feed]:
        """Every active feed."""
        return await self.store.list_feeds()

    async def health_messages(self) -> list[str]:
        """The health of every active feed, one line each, packed into Telegram-sized messages
        (none when there are no feeds)."""
        feeds = await self.store.list_feeds()
        if not feeds:
            return []
        now = self.clock()
        return pack_lines([f"{len(feeds)} feeds:", *(f"• {health_line(feed, now)}" for feed in feeds)])

    async def export_opml(self) -> bytes:
        """Every active feed as an OPML 2.0 document."""
        feeds = [FeedConfig(feed.name, feed.url, feed.lang) for feed in await self.store.list_feeds()]
        return render_opml(feeds, "Idlib M4 alert bot feeds", self.clock())

    async def import_opml(self, document: bytes, default_lang: str | None = None) -> ImportReport:
        """Add every feed of an OPML document that is new and answers as a feed (each is checked like
        /addfeed). Raises OpmlError when the document is not an OPML subscription list."""
        listed = parse_opml(document, default_lang)
        known = {feed.url for feed in await self.store.list_feeds()}
        report = ImportReport(skipped=list(listed.skipped))
        gate = asyncio.Semaphore(IMPORT_CONCURRENCY)

        async def one(feed: FeedConfig) -> None:
            if feed.url in known:
                report.present.append(feed.name)
                return
            async with gate:
                try:
                    stored, _ = await self.add(feed)
                except FeedError as error:
                    report.skipped.append(Skipped(feed.name, N_("not a usable feed ({error})"),
                                                  {"error": str(error)[:200]}))
                    return
            report.added.append(stored.name)

        await asyncio.gather(*(one(feed) for feed in listed.feeds))
        return report
