"""Issue 11.5 / 12.10, DNS rebinding: the fetcher connects to the address the guard checked, on every
redirect hop, keeping the name in the Host header and as the TLS server name; a resolver that answers
an internal address the second time is never asked a second time."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
from fetch_helpers import PUBLIC_IP, loopback_server

from bot.adapters.feeds.address_guard import AddressGuard, IPAddress
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.feeds.pinned import pinned_request

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
SECOND_PUBLIC_IP = "93.184.215.15"


class RebindingResolver:
    """Answers each name's first lookup with a public address and every later one with loopback."""

    def __init__(self, first: dict[str, str]) -> None:
        self.first = first
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return [self.first[host]] if self.lookups.count(host) == 1 else ["127.0.0.1"]


async def test_every_hop_goes_to_the_address_that_was_checked() -> None:
    seen: list[tuple[str, str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers["Host"], request.extensions.get("sni_hostname")))
        if request.headers["Host"] == "feeds.example":
            return httpx.Response(301, headers={"Location": "http://mirror.example:8080/rss"})
        return httpx.Response(200, content=RSS)

    resolver = RebindingResolver({"feeds.example": PUBLIC_IP, "mirror.example": SECOND_PUBLIC_IP})
    fetcher = Fetcher(httpx.AsyncClient(transport=httpx.MockTransport(handler)), guard=AddressGuard(resolver=resolver))

    result = await fetcher.fetch("https://feeds.example/rss?x=1")

    assert seen == [(f"https://{PUBLIC_IP}/rss?x=1", "feeds.example", "feeds.example"),
                    (f"http://{SECOND_PUBLIC_IP}:8080/rss", "mirror.example:8080", None)]
    assert resolver.lookups == ["feeds.example", "mirror.example"]  # one lookup per hop: nothing to rebind
    assert result.final_url == "http://mirror.example:8080/rss" and result.body == RSS


def test_a_pinned_request_keeps_the_name_for_the_server() -> None:
    url = httpx.URL("https://bücher.example:8443/feed")
    pinned = pinned_request(url, ipaddress.ip_address("2001:4860::8888"), {"Accept": "*/*"})
    assert str(pinned.url) == "https://[2001:4860::8888]:8443/feed"
    assert pinned.headers == {"Accept": "*/*", "Host": "xn--bcher-kva.example:8443"}
    assert pinned.extensions == {"sni_hostname": "xn--bcher-kva.example"}
    assert pinned_request(url, None, {}).url == url  # nothing checked (private addresses allowed): by name


class PinToLoopback(AddressGuard):
    """A guard whose check of any name yields 127.0.0.1, so a real connection can be observed."""

    async def check(self, host: str, port: int) -> IPAddress | None:
        return ipaddress.IPv4Address("127.0.0.1")


async def test_a_real_connection_goes_to_the_checked_address_with_the_name_in_host() -> None:
    requests: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (len(RSS), RSS))
        await writer.drain()
        writer.close()

    async with loopback_server(serve) as base:
        port = httpx.URL(base).port
        fetcher = Fetcher(guard=PinToLoopback())
        try:  # a name that no resolver knows: only the pinned address can reach the server
            result = await fetcher.fetch(f"http://feeds.invalid:{port}/rss")
        finally:
            await fetcher.aclose()

    assert result.body == RSS
    assert f"\r\nhost: feeds.invalid:{port}\r\n".encode() in requests[0].lower()
