"""Feed administration: check a feed before adding it, remove it, and describe every feed's health."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.core.models import Feed, FeedConfig
from bot.errors import FeedError
from bot.services.ports import FeedStore
from bot.services.scan import FeedFetcher, FeedParser


class FeedAdminService:
    """What admins can do with feeds."""

    def __init__(self, store: FeedStore, fetcher: FeedFetcher, parse: FeedParser,
                 clock: Callable[[], datetime]) -> None:
        self.store = store
        self.fetcher = fetcher
        self.parse = parse
        self.clock = clock

    async def add(self, feed: FeedConfig) -> tuple[Feed, int]:
        """Fetch and parse the URL first; save it only if it is a feed. Returns it with its item count."""
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


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 0:
        return f"in {_span(-seconds)}"
    return f"{_span(seconds)} ago"


def _span(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}min"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def health_line(feed: Feed, now: datetime) -> str:
    """One plain-text line about a feed's health."""
    state = "OK" if feed.error_count == 0 else f"FAILING x{feed.error_count}"
    if feed.last_success_at is None and feed.error_count == 0:
        state = "not checked yet"
    share = f"{100 * feed.not_modified // feed.checks}% unchanged" if feed.checks else "no checks"
    line = (f"{feed.name} [{feed.lang}] {state}; last success {_ago(feed.last_success_at, now)}; "
            f"next check {_ago(feed.next_check_at, now)}; {share}")
    if feed.last_error:
        line += f"; last error {_ago(feed.last_error_at, now)}: {feed.last_error[:150]}"
    return line
