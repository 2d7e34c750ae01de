"""The SSRF guard: bot.adapters.feeds.address_guard on its own, inside the Fetcher, and behind /addfeed.

Hostnames are resolved by a FakeResolver (no real DNS); loopback servers count the connections they
get, to prove a refused address is never contacted.
"""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fetch_helpers import PUBLIC_IP, FakeResolver, loopback_server, mock_fetcher

from bot.adapters.feeds.address_guard import AddressGuard, parse_numeric_host, unsafe_reason
from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.fetcher import Fetcher
from bot.core.models import Feed, FeedConfig
from bot.errors import FetchError, UnsafeAddress
from bot.services.feeds import FeedAdminService

RSS = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed</title>"
       b"<item><title>One</title><link>https://news.example/1</link></item></channel></rss>")


@pytest.mark.parametrize(
    ("host", "address"),
    [("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
     ("0x7f.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("[::1]", "::1"), ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
     ("fe80::1%25eth0", "fe80::1%eth0"), ("news.example", None), ("1.2.3.4.5", None), ("deadbeef", None)],
)
def test_numeric_hosts_in_every_spelling(host: str, address: str | None) -> None:
    assert parse_numeric_host(host) == (ipaddress.ip_address(address) if address else None)


@pytest.mark.parametrize(
    ("address", "reason"),
    [("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
     ("192.168.1.1", "private"), ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
     ("169.254.1.1", "link-local"), ("fe80::1", "link-local"), ("100.64.0.1", "carrier-grade NAT"),
     ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
     ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "cloud metadata"),
     ("64:ff9b::10.0.0.1", "private"), ("2002:7f00:1::1", "loopback"), ("fc00::1", "private"),
     ("240.0.0.1", "private"), ("192.0.2.10", "private"),
     ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("::ffff:8.8.8.8", None), ("64:ff9b::8.8.8.8", None)],
)
def test_unsafe_reason(address: str, reason: str | None) -> None:
    assert unsafe_reason(ipaddress.ip_address(address)) == reason


async def test_guard_refuses_names_that_resolve_inside_and_allows_public_ones() -> None:
    resolver = FakeResolver({"intranet.example": ["10.0.0.5"], "mixed.example": [PUBLIC_IP, "127.0.0.1"],
                             "gone.example": []})
    guard = AddressGuard(resolver=resolver)
    await guard.check("news.example", 443)
    with pytest.raises(UnsafeAddress, match=r"intranet\.example \(10\.0\.0\.5\): private"):
        await guard.check("intranet.example", 443)
    with pytest.raises(UnsafeAddress, match="loopback"):  # one bad answer is enough
        await guard.check("mixed.example", 80)
    with pytest.raises(FetchError, match="cannot resolve") as info:
        await guard.check("gone.example", 80)
    assert not isinstance(info.value, UnsafeAddress)
    assert resolver.lookups == ["news.example", "intranet.example", "mixed.example", "gone.example"]


async def test_numeric_hosts_never_reach_the_resolver_and_allowed_guard_checks_nothing() -> None:
    resolver = FakeResolver()
    with pytest.raises(UnsafeAddress, match="ALLOW_PRIVATE_FEED_ADDRESSES"):
        await AddressGuard(resolver=resolver).check("2130706433", 80)
    await AddressGuard(allow_private=True, resolver=resolver).check("intranet.example", 80)
    assert resolver.lookups == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/feed", "http://169.254.169.254/latest/meta-data/", "http://[::1]/feed",
     "http://10.0.0.1/rss", "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://localhost/rss",
     "https://redirector.example/feed"],
)
async def test_fetcher_refuses_internal_addresses_on_the_first_request_and_every_redirect(url: str) -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(request.headers["Host"])  # the name asked for (the connection goes to its checked address)
        if request.headers["Host"] == "redirector.example":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})
        return httpx.Response(200, content=RSS)

    resolver = FakeResolver({"localhost": ["127.0.0.1", "::1"]})
    with pytest.raises(UnsafeAddress):
        await mock_fetcher(handler, resolver=resolver).fetch(url)
    assert all("redirector.example" in seen for seen in requested)  # nothing internal was requested


# --- /addfeed ---------------------------------------------------------------------------------------


class RecordingFeedStore:
    """Just enough of the FeedStore port for FeedAdminService.add: records the feeds it is asked to add."""

    def __init__(self) -> None:
        self.added: list[FeedConfig] = []

    async def add_feed(self, feed: FeedConfig, now: datetime) -> Feed:
        self.added.append(feed)
        return Feed(id=len(self.added), name=feed.name, url=feed.url, lang=feed.lang, active=True, etag=None,
                    last_modified=None, next_check_at=now, error_count=0, last_error=None, last_error_at=None,
                    last_success_at=None)


def admin_service(fetcher: Fetcher, store: RecordingFeedStore) -> FeedAdminService:
    store_port: Any = store
    return FeedAdminService(store_port, fetcher, parse_feed, lambda: datetime(2025, 3, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/rss", "http://169.254.169.254/", "http://[::1]/", "http://10.0.0.1/",
     "https://public.example/rss"],
)
async def test_addfeed_refuses_internal_addresses(url: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["Host"] == "public.example":
            return httpx.Response(301, headers={"Location": "http://127.0.0.1/rss"})
        raise AssertionError(f"an internal address was requested: {request.headers['Host']}")

    store = RecordingFeedStore()
    service = admin_service(mock_fetcher(handler), store)
    with pytest.raises(UnsafeAddress, match="refusing to fetch"):
        await service.add(FeedConfig("Internal", url, "en"))
    assert store.added == []


async def test_addfeed_accepts_loopback_when_allowed() -> None:
    connections = 0

    async def serve_feed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (len(RSS), RSS))
        await writer.drain()
        writer.close()

    store = RecordingFeedStore()
    async with loopback_server(serve_feed) as base:
        refusing = Fetcher(total_timeout=5)
        allowing = Fetcher(total_timeout=5, allow_private_addresses=True)
        try:
            with pytest.raises(UnsafeAddress):
                await admin_service(refusing, store).add(FeedConfig("Local", f"{base}/rss", "en"))
            assert connections == 0
            feed, items = await admin_service(allowing, store).add(FeedConfig("Local", f"{base}/rss", "en"))
        finally:
            await refusing.aclose()
            await allowing.aclose()
    assert (feed.url, items, connections) == (f"{base}/rss", 1, 1)
    assert [f.url for f in store.added] == [f"{base}/rss"]
