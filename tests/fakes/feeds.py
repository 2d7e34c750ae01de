"""A recording fake of news sites publishing RSS 2.0 feeds.

``set_items(path, items, lang=...)`` publishes a feed at ``url(path)``; ``add_items`` prepends newer
items. Every response carries a strong ``ETag`` (a hash of the body) and ``Last-Modified``; a request
with a matching ``If-None-Match`` (or, without one, an ``If-Modified-Since`` not older than the last
change) gets ``304 Not Modified``. Every request is recorded in ``requests`` as ``(path, headers)`` and
its answer in ``responses`` as ``(path, status)``. ``set_failure(path, status, headers)`` makes a feed
fail (403, 429 with Retry-After, ...), ``set_raw(path, body)`` serves arbitrary bytes (broken XML, bad
charsets, bombs), ``set_fault(path, Fault.hang())`` and friends (tests/fakes/feed_faults.py) misbehave
at the HTTP level, and ``set_headers(path, {...})`` adds headers such as Cache-Control to normal answers.
``set_items(..., ttl=minutes)`` declares an RSS ``<ttl>``.

``await wait_until_fetched(path)`` returns once a client has received the feed's current content
(a 200 of the latest version, or a 304 for the latest ETag), which is how end-to-end tests know a scan
has seen a change without sleeping blindly.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from aiohttp import web

from fakes._server import LoopbackServer
from fakes.feed_faults import Fault, serve_fault
from fakes.rss import FeedItem, render_rss

__all__ = ["FakeFeedServer", "FeedItem", "render_rss"]


@dataclass
class _Feed:
    title: str
    lang: str
    items: list[FeedItem] = field(default_factory=list)
    version: int = 0
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str = ""
    last_modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    raw: bool = False
    failure: int | None = None
    failure_headers: dict[str, str] = field(default_factory=dict)
    fault: Fault | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    ttl: int | None = None


class FakeFeedServer(LoopbackServer):
    """Serves RSS feeds at arbitrary paths and records who asked for them."""

    def __init__(self) -> None:
        super().__init__()
        self._feeds: dict[str, _Feed] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.responses: list[tuple[str, int]] = []
        self._delivered: dict[str, int] = {}
        self._release: asyncio.Event | None = None

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return f"{self.base_url}/{path.lstrip('/')}"

    # -- publishing ----------------------------------------------------------------------------------
    def set_items(
        self,
        path: str,
        items: Sequence[FeedItem | Mapping[str, Any]],
        lang: str | None = None,
        *,
        title: str | None = None,
        ttl: int | None = None,
    ) -> list[FeedItem]:
        """Replace the feed's items (newest first). Missing ``pub_date`` become "now", fixed at this
        moment so that the body (and its ETag) is stable until the next change. ``ttl``: an RSS <ttl>."""
        key = _key(path)
        feed = self._feeds.get(key)
        if feed is None:
            feed = _Feed(title=title or f"Fake feed {key}", lang=lang or "en")
            self._feeds[key] = feed
        if lang is not None:
            feed.lang = lang
        if title is not None:
            feed.title = title
        if ttl is not None:
            feed.ttl = ttl
        now = datetime.now(UTC)
        feed.items = [self._stamped(FeedItem.coerce(item), now) for item in items]
        self._publish(key, feed)
        return list(feed.items)

    def add_items(
        self, path: str, items: Sequence[FeedItem | Mapping[str, Any]], lang: str | None = None
    ) -> list[FeedItem]:
        """Prepend newer items to the feed (creating it if needed)."""
        existing = list(self._feeds[_key(path)].items) if _key(path) in self._feeds else []
        now = datetime.now(UTC)
        new = [self._stamped(FeedItem.coerce(item), now) for item in items]
        return self.set_items(path, [*new, *existing], lang=lang)

    def set_raw(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> None:
        """Serve ``body`` verbatim (for malformed-feed tests)."""
        feed = self._bare(path)
        feed.raw, feed.content_type = True, content_type
        self._publish(_key(path), feed, body)

    def set_failure(self, path: str, status: int | None, headers: Mapping[str, str] | None = None) -> None:
        """Answer ``status`` (e.g. 500, 404, 429) with ``headers`` (e.g. Retry-After) for ``path`` until
        called again with None."""
        feed = self._bare(path)
        feed.failure, feed.failure_headers = status, dict(headers or {})

    def set_fault(self, path: str, fault: Fault | None) -> None:
        """Misbehave on ``path`` as ``fault`` says (hang, trickle, huge body, redirect loop) until None."""
        self._bare(path).fault = fault

    def set_headers(self, path: str, headers: Mapping[str, str]) -> None:
        """Add ``headers`` (e.g. Cache-Control: max-age=900) to the feed's 200 and 304 answers."""
        self._bare(path).extra_headers = dict(headers)

    def items(self, path: str) -> list[FeedItem]:
        return list(self._feeds[_key(path)].items)

    def _bare(self, path: str) -> _Feed:
        """The feed at ``path``, created empty if needed."""
        return self._feeds.setdefault(_key(path), _Feed(title=_key(path), lang="en"))

    @staticmethod
    def _stamped(item: FeedItem, now: datetime) -> FeedItem:
        if item.pub_date is None:
            item = FeedItem(item.title, item.link, item.description, item.guid, now)
        return item

    def _publish(self, key: str, feed: _Feed, body: bytes | None = None) -> None:
        if body is None:
            feed.raw = False
            feed.content_type = "application/rss+xml; charset=utf-8"
            body = render_rss(feed.title, feed.lang, feed.items, ttl=feed.ttl)
        feed.body = body
        feed.version += 1
        feed.etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        # strictly increasing at one-second resolution, so If-Modified-Since never hides a change
        now = datetime.now(UTC).replace(microsecond=0)
        feed.last_modified = max(now, feed.last_modified.replace(microsecond=0) + timedelta(seconds=1))
        self._schedule_notify()

    # -- inspecting ----------------------------------------------------------------------------------
    def requests_for(self, path: str) -> list[dict[str, str]]:
        """Headers of every request for ``path``."""
        key = _key(path)
        return [headers for p, headers in self.requests if p == key]

    def fetched_current(self, path: str) -> bool:
        """Whether a client has received the current content of ``path``."""
        key = _key(path)
        feed = self._feeds.get(key)
        return feed is not None and self._delivered.get(key, 0) >= feed.version

    async def wait_until_fetched(self, path: str, timeout: float = 15.0) -> None:  # noqa: ASYNC109
        """Wait until a client has the current version of ``path`` (AssertionError on timeout)."""
        if not await self._wait(lambda: self.fetched_current(path), timeout):
            raise AssertionError(f"feed {path} was not fetched within {timeout}s")

    async def wait_for_requests(
        self,
        path: str,
        count: int = 1,
        timeout: float = 15.0,  # noqa: ASYNC109
        *,
        since: int = 0,
    ) -> None:
        """Wait until ``count`` requests for ``path`` arrived after the first ``since`` of them."""
        if not await self._wait(lambda: len(self.requests_for(path)) - since >= count, timeout):
            raise AssertionError(
                f"expected {count} request(s) for {path} within {timeout}s, got {len(self.requests_for(path)) - since}"
            )

    # -- server ----------------------------------------------------------------------------------------
    def _setup(self, app: web.Application) -> None:
        self._release = asyncio.Event()
        app.router.add_route("*", "/{tail:.*}", self._handle)

    async def _before_stop(self) -> None:
        if self._release is not None:
            self._release.set()  # hanging and trickling handlers return

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        key = _key(request.path)
        self.requests.append((key, dict(request.headers)))
        feed = self._feeds.get(key)
        if feed is not None and feed.fault is not None and self._release is not None:
            await self._notify()
            response: web.StreamResponse = await serve_fault(request, feed.fault, self._release)
        else:
            response = self._answer(key, request)
        self.responses.append((key, response.status))
        await self._notify()
        return response

    def _answer(self, key: str, request: web.Request) -> web.Response:
        feed = self._feeds.get(key)
        if feed is None or (not feed.body and feed.failure is None):
            return web.Response(status=404, text="not found")
        if feed.failure is not None:
            return web.Response(status=feed.failure, text=f"failure {feed.failure}", headers=feed.failure_headers)
        headers = {
            "ETag": feed.etag,
            "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
            "Cache-Control": "no-cache",
            **feed.extra_headers,
        }
        if request.method not in {"GET", "HEAD"}:
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        if _not_modified(request, feed):
            self._delivered[key] = feed.version
            return web.Response(status=304, headers=headers)
        self._delivered[key] = feed.version
        return web.Response(
            status=200,
            body=feed.body if request.method == "GET" else None,
            headers={**headers, "Content-Type": feed.content_type},
        )


def _not_modified(request: web.Request, feed: _Feed) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or feed.etag in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return feed.last_modified <= since
    return False


def _key(path: str) -> str:
    return "/" + path.lstrip("/")
