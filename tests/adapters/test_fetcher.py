"""Tests for bot.adapters.fetcher against httpx mock transports and a real loopback server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest

from bot.adapters.fetcher import Fetcher, FetchResult, parse_retry_after
from bot.errors import FetchError

Handler = Callable[[httpx.Request], httpx.Response]

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def make_fetcher(handler: Handler, **kwargs: object) -> Fetcher:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return Fetcher(client, **kwargs)  # type: ignore[arg-type]


async def test_plain_fetch_returns_body_and_validators() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            content=RSS,
            headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                     "Content-Type": "application/rss+xml; charset=utf-8"},
        )

    fetcher = make_fetcher(handler)
    result = await fetcher.fetch("https://feeds.example/rss")
    assert result == FetchResult(
        status=200, body=RSS, etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
        final_url="https://feeds.example/rss", not_modified=False, permanent_redirect=False,
        content_type="application/rss+xml; charset=utf-8",
    )
    assert "If-None-Match" not in seen[0].headers
    assert "If-Modified-Since" not in seen[0].headers
    assert seen[0].headers["User-Agent"].startswith("idlib-m4-alert-bot")


async def test_conditional_get_not_modified() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-None-Match"] == '"v1"'
        assert request.headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
        return httpx.Response(304)

    result = await make_fetcher(handler).fetch(
        "https://feeds.example/rss", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT"
    )
    assert result.not_modified and result.status == 304 and result.body is None
    # The validators are kept when the 304 does not repeat them.
    assert result.etag == '"v1"' and result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"


@pytest.mark.parametrize(("codes", "permanent"), [((301,), True), ((308, 301), True), ((302,), False),
                                                   ((301, 307), False)])
async def test_redirects_followed_and_permanence_reported(codes: tuple[int, ...], permanent: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < len(codes):
            return httpx.Response(codes[hop], headers={"Location": f"/moved?hop={hop + 1}"})
        return httpx.Response(200, content=RSS)

    result = await make_fetcher(handler).fetch("https://old.example/feed")
    assert result.body == RSS
    assert result.final_url == f"https://old.example/moved?hop={len(codes)}"
    assert result.permanent_redirect is permanent


async def test_redirect_loop_is_bounded() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(302, headers={"Location": "https://loop.example/again"})

    with pytest.raises(FetchError, match="redirects"):
        await make_fetcher(handler, max_redirects=5).fetch("https://loop.example/")
    assert calls == 6


async def test_redirect_to_other_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(FetchError, match="scheme"):
        await make_fetcher(handler).fetch("https://evil.example/")


async def test_redirect_without_location_fails() -> None:
    with pytest.raises(FetchError) as info:
        await make_fetcher(lambda r: httpx.Response(302)).fetch("https://e.example/")
    assert info.value.status == 302


@pytest.mark.parametrize(("status", "retry_after", "expected"), [(429, "120", 120.0), (503, "7", 7.0),
                                                                  (404, None, None), (500, "soon", None)])
async def test_http_errors_carry_status_and_retry_after(
    status: int, retry_after: str | None, expected: float | None
) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}
    with pytest.raises(FetchError) as info:
        await make_fetcher(lambda r: httpx.Response(status, headers=headers)).fetch("https://e.example/")
    assert info.value.status == status
    assert info.value.retry_after == expected
    assert str(status) in str(info.value)


def test_parse_retry_after_http_date() -> None:
    now = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 01 Jan 2024 00:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("") is None


async def test_network_errors_become_fetch_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="network error"):
        await make_fetcher(handler).fetch("https://down.example/")


async def test_transport_timeout_becomes_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="timed out"):
        await make_fetcher(handler).fetch("https://slow.example/")


async def test_declared_oversized_body_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 2000)

    with pytest.raises(FetchError, match="cap"):
        await make_fetcher(handler, max_bytes=1000).fetch("https://big.example/")


async def test_endless_streamed_body_is_cut_off() -> None:
    produced = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal produced
        while True:
            produced += 1
            yield b"x" * 512

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())  # no Content-Length: chunked

    with pytest.raises(FetchError, match="cap"):
        await make_fetcher(handler, max_bytes=10_000).fetch("https://big.example/")
    assert produced < 40


async def test_body_at_cap_is_accepted() -> None:
    fetcher = make_fetcher(lambda r: httpx.Response(200, content=b"x" * 1000), max_bytes=1000)
    assert (await fetcher.fetch("https://e.example/")).body == b"x" * 1000


async def test_invalid_url_becomes_fetch_error() -> None:
    with pytest.raises(FetchError):
        await make_fetcher(lambda r: httpx.Response(200)).fetch("not a url")


async def test_owned_client_is_closed() -> None:
    fetcher = Fetcher()
    await fetcher.aclose()
    assert fetcher._client.is_closed


# --- a real server on 127.0.0.1 ---------------------------------------------------------------


async def _serve(handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]) -> asyncio.Server:
    return await asyncio.start_server(handler, "127.0.0.1", 0)  # type: ignore[arg-type]


async def test_trickling_server_is_cut_off_by_total_deadline() -> None:
    """Every read gets a byte in time, so only the overall deadline can stop this fetch."""

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
        try:
            while True:
                writer.write(b"<")
                await writer.drain()
                await asyncio.sleep(0.05)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await _serve(trickle)
    port = server.sockets[0].getsockname()[1]
    fetcher = Fetcher(total_timeout=0.5, connect_timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    finally:
        await fetcher.aclose()
        server.close()
    assert time.monotonic() - started < 2.0


async def test_silent_server_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            pass
        finally:
            writer.close()

    server = await _serve(silent)
    port = server.sockets[0].getsockname()[1]
    fetcher = Fetcher(total_timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    finally:
        await fetcher.aclose()
        server.close()
    assert time.monotonic() - started < 2.0


async def test_real_server_success() -> None:
    async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(RSS) + RSS)
        await writer.drain()
        writer.close()

    server = await _serve(ok)
    port = server.sockets[0].getsockname()[1]
    fetcher = Fetcher(total_timeout=2)
    try:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/feed")
    finally:
        await fetcher.aclose()
        server.close()
    assert result.status == 200 and result.body == RSS
