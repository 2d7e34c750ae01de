"""HTTP fetching of feeds: conditional GET, bounded redirects, a byte cap and a hard deadline.

Feeds are untrusted: a server may be slow, trickle bytes forever, redirect in circles or send a
gigabyte. `Fetcher.fetch` therefore follows redirects itself (at most `max_redirects`), streams
the body and stops once it passes `max_bytes`, and wraps the whole exchange, slow bodies
included, in one `asyncio.timeout`. Every failure is raised as `bot.errors.FetchError` carrying the
HTTP status and a parsed ``Retry-After`` when there is one, so the caller can back off.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from bot.errors import FetchError

__all__ = ["DEFAULT_USER_AGENT", "FetchResult", "Fetcher", "parse_retry_after"]

DEFAULT_USER_AGENT = "idlib-m4-alert-bot/0.1 (Telegram news alerts; feed reader)"
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_PERMANENT = frozenset({301, 308})


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one successful fetch (a 2xx with its body, or a 304 without one).

    `final_url` is the URL the body came from after redirects; `permanent_redirect` is true when
    every redirect on the way was permanent (301/308), i.e. the feed's stored URL may be updated.
    `etag` and `last_modified` are the validators to send next time.
    """

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    final_url: str
    not_modified: bool
    permanent_redirect: bool
    content_type: str | None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches feed URLs with one shared `httpx.AsyncClient` (injectable for tests)."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        max_bytes: int = 5_000_000,
        connect_timeout: float = 10.0,
        total_timeout: float = 30.0,
        max_redirects: int = 5,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(follow_redirects=False)
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._timeout = httpx.Timeout(total_timeout, connect=connect_timeout)

    async def aclose(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self._owns_client:
            await self._client.aclose()

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url`, conditionally when validators are given; raise `FetchError` on any failure."""
        headers = {"User-Agent": self.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self.total_timeout):
                return await self._fetch(url, headers, etag, last_modified)
        except TimeoutError as exc:
            raise FetchError(f"timed out after {self.total_timeout:g}s") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: {type(exc).__name__}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"network error: {type(exc).__name__}: {exc}") from exc

    async def _fetch(
        self, url: str, headers: dict[str, str], etag: str | None, last_modified: str | None
    ) -> FetchResult:
        current = httpx.URL(url)
        permanent = True
        for hop in range(self.max_redirects + 1):
            if current.scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme {current.scheme!r}")
            async with self._client.stream(
                "GET", current, headers=headers, timeout=self._timeout, follow_redirects=False
            ) as response:
                status = response.status_code
                if 300 <= status < 400 and status != 304:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without Location", status=status)
                    permanent = permanent and status in _PERMANENT
                    current = current.join(location.strip())
                    continue
                if status >= 400:
                    raise FetchError(
                        f"HTTP {status} {response.reason_phrase}".strip(),
                        status=status,
                        retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    )
                not_modified = status == 304
                body = None if not_modified else await self._read_capped(response)
                return FetchResult(
                    status=status,
                    body=body,
                    etag=response.headers.get("ETag") or (etag if not_modified else None),
                    last_modified=response.headers.get("Last-Modified")
                    or (last_modified if not_modified else None),
                    final_url=str(current),
                    not_modified=not_modified,
                    permanent_redirect=hop > 0 and permanent,
                    content_type=response.headers.get("Content-Type"),
                )
        raise FetchError(f"more than {self.max_redirects} redirects")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"body of {int(declared)} bytes exceeds the {self.max_bytes}-byte cap")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"body exceeds the {self.max_bytes}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)
