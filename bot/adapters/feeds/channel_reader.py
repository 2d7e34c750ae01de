"""Reading a public Telegram channel source: fetch its preview pages and return the posts as a parsed feed.

Pages are fetched with the feeds' `Fetcher` (same byte cap, deadline, redirect bound, per-host limit
and address guard) from `preview_base` (https://t.me; a fake server in tests). The newest page is read
first; while every post on it is newer than the cursor (the newest post id seen last time), the page's
"before" link is followed, at most `max_pages` pages, so a bot that was down catches up. The result has
the shape of an RSS fetch (bot.services.scan): the cursor travels as the ETag, and "nothing newer than
the cursor" is a not-modified answer.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from bot.adapters.feeds.channel_preview import PageKind, PreviewPage, parse_preview
from bot.adapters.feeds.fetcher import Fetcher
from bot.core.feeds.fetched import FetchResult, ParsedFeed
from bot.core.feeds.telegram_channel import (
    ChannelPost,
    channel_feed_url,
    channel_name,
    needs_older_page,
    parse_cursor,
    post_entry,
)
from bot.errors import FeedParseError

__all__ = ["ChannelReader"]


class ChannelReader:
    """Reads channel sources; `handles(url)` says which feed URLs are channels."""

    def __init__(self, fetcher: Fetcher, *, preview_base: str = "https://t.me", max_pages: int = 5) -> None:
        self.fetcher = fetcher
        self.preview_base = preview_base.rstrip("/")
        self.max_pages = max(1, max_pages)

    @staticmethod
    def handles(url: str) -> bool:
        """True for a channel source's address (https://t.me/s/<name>)."""
        name = channel_name(url)
        return name is not None and url.strip() == channel_feed_url(name)

    async def read(self, url: str, cursor: str | None) -> tuple[FetchResult, ParsedFeed | None]:
        """The posts newer than `cursor` as a parsed feed (None when there are none) and the new cursor;
        FeedError when the channel cannot be read (no such channel, no public preview, a fetch failure)."""
        name = channel_name(url)
        if name is None:
            raise FeedParseError(f"not a public Telegram channel address: {url}")
        last_seen = parse_cursor(cursor)
        posts = await self._posts(name, last_seen)
        newer = [post for post in posts if last_seen is None or post.post_id > last_seen]
        newest = max((post.post_id for post in posts), default=last_seen)
        result = FetchResult(status=200, body=None, etag=None if newest is None else str(newest), last_modified=None,
                             final_url=url, not_modified=not newer, permanent_redirect=False,
                             content_type="text/html")
        if not newer:
            return result, None
        return result, ParsedFeed(title=name, lang=None, entries=[post_entry(post) for post in newer])

    async def _posts(self, name: str, last_seen: int | None) -> list[ChannelPost]:
        """The newest page, then older ones while they may hold posts newer than `last_seen`."""
        page = await self._page(name, None)
        posts = list(page.posts)
        for _ in range(self.max_pages - 1):
            if page.before is None or not needs_older_page([post.post_id for post in posts], last_seen):
                break
            page = await self._page(name, page.before)
            known = {post.post_id for post in posts}
            posts = [post for post in page.posts if post.post_id not in known] + posts
        return posts

    async def _page(self, name: str, before: int | None) -> PreviewPage:
        address = f"{self.preview_base}/s/{quote(name)}" + (f"?before={before}" if before is not None else "")
        result = await self.fetcher.fetch(address)
        if result.body is None:
            raise FeedParseError("the preview page was empty")
        page = await asyncio.to_thread(parse_preview, result.body)  # lxml is quick, yet a page is 100 KB
        if page.kind is not PageKind.CHANNEL:
            raise FeedParseError(f"@{name}: {page.kind.value}")
        return page
