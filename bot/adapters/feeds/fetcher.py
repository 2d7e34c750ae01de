"""HTTP fetching of feeds: conditional GET, bounded redirects, a byte cap, a hard deadline, politeness
per host and a guard against internal addresses.

Feeds are untrusted: a server may be slow, trickle bytes forever, redirect in circles, send a
gigabyte or point at the bot's own network. `Fetcher.fetch` therefore follows redirects itself (at
most `max_redirects`), checks every hop's host with an `AddressGuard` and connects to the address it
checked (bot/adapters/feeds/pinned.py), streams the body and stops once it passes `max_bytes`, and
runs each exchange, slow bodies included, under one total deadline shared by all hops. At most
`per_host_concurrency` requests go to one host (and port) at a time; time spent waiting for that slot
does not count against the deadline. Every
failure is raised as `bot.errors.FetchError` (`UnsafeAddress` for refused addresses) carrying the
HTTP status and a parsed ``Retry-After`` when there is one, so the caller can back off.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from bot.adapters.feeds.address_guard import AddressGuard
from bot.adapters.feeds.capped_body import CappedDecoder
from bot.adapters.feeds.http_headers import cache_lifetime, parse_retry_after
from bot.adapters.feeds.pinned import pinned_request
from bot.core.feeds.fetched import FetchResult
from bot.errors import FetchError

__all__ = ["DEFAULT_USER_AGENT", "FetchResult", "Fetcher", "parse_retry_after"]

DEFAULT_USER_AGENT = "idlib-m4-alert-bot/0.1 (Telegram news alerts; feed reader)"
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_PERMANENT = frozenset({301, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Fetcher:
    """Fetches feed URLs with one shared `httpx.AsyncClient` (injectable for tests).

    `guard` defaults to an `AddressGuard` that refuses internal addresses unless
    `allow_private_addresses` is true; tests inject one with a fake resolver.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        max_bytes: int = 5_000_000,
        connect_timeout: float = 10.0,
        total_timeout: float = 30.0,
        max_redirects: int = 5,
        user_agent: str = DEFAULT_USER_AGENT,
        per_host_concurrency: int = 2,
        allow_private_addresses: bool = False,
        guard: AddressGuard | None = None,
    ) -> None:
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(follow_redirects=False)
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.per_host_concurrency = max(1, per_host_concurrency)
        self.guard = guard if guard is not None else AddressGuard(allow_private=allow_private_addresses)
        self._timeout = httpx.Timeout(total_timeout, connect=connect_timeout)
        self._host_gates: dict[str, asyncio.Semaphore] = {}

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
            return await self._follow(httpx.URL(url), headers, etag, last_modified)
        except TimeoutError as exc:
            raise FetchError(f"timed out after {self.total_timeout:g}s") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: {type(exc).__name__}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"network error: {type(exc).__name__}: {exc}") from exc

    async def _follow(
        self, current: httpx.URL, headers: dict[str, str], etag: str | None, last_modified: str | None
    ) -> FetchResult:
        """Follow redirects hop by hop; the deadline only runs while a host slot is held."""
        loop = asyncio.get_running_loop()
        remaining = self.total_timeout
        permanent = True
        for hop in range(self.max_redirects + 1):
            if current.scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme {current.scheme!r}")
            if not current.host:
                raise FetchError(f"no host in URL {str(current)!r}")
            async with self._host_gate(current):
                started = loop.time()
                try:
                    async with asyncio.timeout(max(remaining, 0.0)):
                        outcome = await self._hop(current, headers, etag, last_modified, hop > 0 and permanent)
                finally:
                    remaining -= loop.time() - started
            if isinstance(outcome, FetchResult):
                return outcome
            status, current = outcome
            permanent = permanent and status in _PERMANENT
        raise FetchError(f"more than {self.max_redirects} redirects")

    def _host_gate(self, url: httpx.URL) -> asyncio.Semaphore:
        key = f"{url.host}:{url.port or _DEFAULT_PORTS.get(url.scheme, 0)}"
        gate = self._host_gates.get(key)
        if gate is None:
            gate = self._host_gates[key] = asyncio.Semaphore(self.per_host_concurrency)
        return gate

    async def _hop(
        self, url: httpx.URL, headers: dict[str, str], etag: str | None, last_modified: str | None,
        permanent: bool,
    ) -> FetchResult | tuple[int, httpx.URL]:
        """One request: the result, or (redirect status, next URL)."""
        address = await self.guard.check(url.host, url.port or _DEFAULT_PORTS[url.scheme])
        request = pinned_request(url, address, headers)  # connect where the guard checked, not where DNS says now
        async with self._client.stream(
            "GET", request.url, headers=request.headers, extensions=request.extensions, timeout=self._timeout,
            follow_redirects=False,
        ) as response:
            status = response.status_code
            if 300 <= status < 400 and status != 304:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without Location", status=status)
                return status, url.join(location.strip())
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
                last_modified=response.headers.get("Last-Modified") or (last_modified if not_modified else None),
                final_url=str(url),
                not_modified=not_modified,
                permanent_redirect=permanent,
                content_type=response.headers.get("Content-Type"),
                max_age_seconds=cache_lifetime(response.headers, datetime.now(UTC)),
            )

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The decoded body, refused as soon as it passes the cap (compressed bodies included)."""
        declared = response.headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"body of {int(declared)} bytes exceeds the {self.max_bytes}-byte cap")
        if response.is_stream_consumed:  # an in-process transport (tests) handed over a body already decoded
            decoder = CappedDecoder("identity", self.max_bytes)
            decoder.feed(response.content)
        else:
            decoder = CappedDecoder(response.headers.get("Content-Encoding", "identity"), self.max_bytes)
            async for chunk in response.aiter_raw():
                decoder.feed(chunk)
        return decoder.finish()
