"""Feed administration: check a feed before adding it, remove it, and report every feed's health
(the lines themselves are written by bot.core.feeds.feed_health)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.core.feeds.feed_health import health_line
from bot.core.interface.formatting import pack_lines
from bot.core.models import Feed, FeedConfig
from bot.errors import FeedError
from bot.services.ports import ChannelSource, FeedFetcher, FeedParser, FeedRecords


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
        parsed = self.parse(result.body, url=result.final_url or feed.url, content_type=result.content_type)
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
