"""Tests for bot.adapters.feeds.fetcher against httpx mock transports and real loopback servers."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fetch_helpers import Handler, loopback_fetcher, loopback_server, mock_fetcher

from bot.adapters.feeds.fetcher import Fetcher, FetchResult, parse_retry_after
from bot.errors import FetchError

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def make_fetcher(handler: Handler, **kwargs: object) -> Fetcher:
    return mock_fetcher(handler, **kwargs)


async def streamed(data: bytes, chunk: int = 16_384) -> AsyncIterator[bytes]:
    """`data` as a streamed body (as from the network: not read ahead, no Content-Length)."""
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


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


@pytest.mark.parametrize(("redirects", "ok"), [(5, True), (6, False)])
async def test_at_most_five_redirects(redirects: int, ok: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < redirects:
            return httpx.Response(301, headers={"Location": f"https://next{hop}.example/feed?hop={hop + 1}"})
        return httpx.Response(200, content=RSS)

    fetcher = make_fetcher(handler)
    if ok:
        result = await fetcher.fetch("https://start.example/feed")
        assert result.final_url == f"https://next{redirects - 1}.example/feed?hop={redirects}"
        assert result.permanent_redirect
    else:
        with pytest.raises(FetchError, match="more than 5 redirects"):
            await fetcher.fetch("https://start.example/feed")


async def test_two_page_redirect_loop_is_refused() -> None:
    seen: Counter[str] = Counter()

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] += 1
        target = "/b" if request.url.path == "/a" else "/a"
        return httpx.Response(308, headers={"Location": target})

    with pytest.raises(FetchError, match="redirects"):
        await make_fetcher(handler).fetch("https://loop.example/a")
    assert sum(seen.values()) == 6


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "public, max-age=900"}, 900.0),
        ({"Cache-Control": "max-age=60, s-maxage=1200"}, 1200.0),
        ({"Cache-Control": "no-cache, max-age=600"}, None),
        ({"Date": "Mon, 01 Jan 2024 00:00:00 GMT", "Expires": "Mon, 01 Jan 2024 00:30:00 GMT"}, 1800.0),
        ({}, None),
    ],
)
async def test_freshness_lifetime_is_reported(headers: dict[str, str], expected: float | None) -> None:
    result = await make_fetcher(lambda r: httpx.Response(200, content=RSS, headers=headers)).fetch(
        "https://e.example/")
    assert result.max_age_seconds == expected


async def test_freshness_lifetime_is_reported_on_not_modified() -> None:
    fetcher = make_fetcher(lambda r: httpx.Response(304, headers={"Cache-Control": "max-age=300"}))
    result = await fetcher.fetch("https://e.example/", etag='"v1"')
    assert result.not_modified and result.max_age_seconds == 300.0


@pytest.mark.parametrize("coding", ["gzip", "deflate-zlib", "deflate-raw"])
async def test_compressed_bodies_are_decoded(coding: str) -> None:
    if coding == "gzip":
        encoded, header = gzip.compress(RSS), "gzip"
    elif coding == "deflate-zlib":
        encoded, header = zlib.compress(RSS), "deflate"
    else:
        squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        encoded, header = squeezer.compress(RSS) + squeezer.flush(), "deflate"

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Accept-Encoding"] == "gzip, deflate"
        return httpx.Response(200, content=streamed(encoded), headers={"Content-Encoding": header})

    assert (await make_fetcher(handler).fetch("https://e.example/")).body == RSS


async def test_gzip_bomb_is_cut_off_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # about 50 KB on the wire
    assert len(bomb) < 100_000
    fetcher = make_fetcher(
        lambda r: httpx.Response(200, content=streamed(bomb), headers={"Content-Encoding": "gzip"}),
        max_bytes=1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="cap"):
            await fetcher.fetch("https://bomb.example/")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # inflated under the cap, never a whole 16 MB chunk at once


@pytest.mark.parametrize("coding", ["br", "gzip, gzip"])
async def test_unsupported_content_encoding_is_refused(coding: str) -> None:
    fetcher = make_fetcher(lambda r: httpx.Response(200, content=streamed(b"xx"), headers={"Content-Encoding": coding}))
    with pytest.raises(FetchError, match="Content-Encoding"):
        await fetcher.fetch("https://e.example/")


async def test_corrupt_gzip_is_a_fetch_error() -> None:
    fetcher = make_fetcher(lambda r: httpx.Response(200, content=streamed(b"not gzip at all"),
                                                    headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="decompress"):
        await fetcher.fetch("https://e.example/")


async def test_per_host_concurrency_is_bounded_while_hosts_run_in_parallel() -> None:
    in_flight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    overall_peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal overall_peak
        host = request.headers["Host"]  # the name; the connection goes to the address the guard checked
        in_flight[host] += 1
        peak[host] = max(peak[host], in_flight[host])
        overall_peak = max(overall_peak, sum(in_flight.values()))
        await asyncio.sleep(0.02)
        in_flight[host] -= 1
        return httpx.Response(200, content=RSS)

    fetcher = make_fetcher(handler, per_host_concurrency=2)
    urls = [f"https://{host}.example/feed{n}" for host in ("a", "b", "c") for n in range(6)]
    results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert all(r.body == RSS for r in results)
    assert peak == {"a.example": 2, "b.example": 2, "c.example": 2}
    assert overall_peak == 6


async def test_waiting_for_a_host_slot_does_not_spend_the_deadline() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.3)
        return httpx.Response(200, content=RSS)

    fetcher = make_fetcher(handler, per_host_concurrency=1, total_timeout=1.0)
    started = time.monotonic()
    results = await asyncio.gather(*(fetcher.fetch(f"https://slow.example/{n}") for n in range(5)))
    assert all(r.body == RSS for r in results)
    assert time.monotonic() - started >= 1.5  # they queued one by one, longer than one deadline


# --- real servers on 127.0.0.1 ------------------------------------------------------------------


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

    async with loopback_server(trickle) as base, loopback_fetcher(total_timeout=0.5, connect_timeout=0.5) as f:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            await f.fetch(f"{base}/feed")
    assert time.monotonic() - started < 5.0


async def test_server_that_accepts_and_never_answers_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            pass
        finally:
            writer.close()

    async with loopback_server(silent) as base, loopback_fetcher(total_timeout=0.5) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            await fetcher.fetch(f"{base}/feed")
    assert time.monotonic() - started < 5.0


async def test_chunked_body_without_length_is_cut_off_at_the_cap() -> None:
    sent = 0

    async def endless_chunks(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal sent
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"<item>" + b"x" * 4090
        try:
            while sent < 50_000_000:
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
                sent += len(chunk)
        except ConnectionError:
            pass
        finally:
            writer.close()

    async with loopback_server(endless_chunks) as base, loopback_fetcher(max_bytes=100_000) as fetcher:
        with pytest.raises(FetchError, match="100000-byte cap"):
            await fetcher.fetch(f"{base}/feed")
    assert sent < 10_000_000  # the server was stopped long before its 50 MB


async def test_real_server_success() -> None:
    async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(RSS) + RSS)
        await writer.drain()
        writer.close()

    async with loopback_server(ok) as base, loopback_fetcher(total_timeout=2) as fetcher:
        result = await fetcher.fetch(f"{base}/feed")
    assert result.status == 200 and result.body == RSS


async def test_loopback_is_refused_by_default() -> None:
    connections = 0

    async def count(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.close()

    fetcher = Fetcher(total_timeout=2)
    try:
        async with loopback_server(count) as base:
            with pytest.raises(FetchError, match="loopback"):
                await fetcher.fetch(f"{base}/feed")
    finally:
        await fetcher.aclose()
    assert connections == 0

