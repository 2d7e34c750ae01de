"""Ways a news site can misbehave, for FakeFeedServer: hanging, trickling, huge bodies, redirect loops,
and hostile or broken bodies.

A `Fault` set on a feed path replaces its normal answer (``FakeFeedServer.set_fault``). Handlers that
would run forever wait on the server's `release` event, which is set when the server stops, so a
test never leaves a handler behind. The ``*_BODY`` constants are served with ``set_raw``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from aiohttp import web

_RSS_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Huge</title>'
             b"<link>https://news.example</link><description>huge</description>\n")


@dataclass(frozen=True)
class Fault:
    """How a feed misbehaves. Use the constructors: `hang`, `trickle`, `huge`, `redirect_loop`."""

    kind: str
    every: float = 0.2
    size: int = 0
    declare_length: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def hang(cls) -> Fault:
        """Accept the request and never answer (not even the status line)."""
        return cls("hang")

    @classmethod
    def trickle(cls, every: float = 0.2) -> Fault:
        """Answer 200 at once, then send one byte of body every `every` seconds, forever."""
        return cls("trickle", every=every)

    @classmethod
    def huge(cls, size: int = 64 * 1024 * 1024, *, declare_length: bool = False) -> Fault:
        """Stream a feed-looking body of `size` bytes (with a Content-Length header if `declare_length`)."""
        return cls("huge", size=size, declare_length=declare_length)

    @classmethod
    def redirect_loop(cls) -> Fault:
        """Redirect (302) to the same URL, forever."""
        return cls("redirect_loop")


async def serve_fault(request: web.Request, fault: Fault, release: asyncio.Event) -> web.StreamResponse:
    """Answer `request` the way `fault` says."""
    if fault.kind == "hang":
        await release.wait()
        return web.Response(status=503, text="released")
    if fault.kind == "redirect_loop":
        return web.Response(status=302, headers={"Location": str(request.rel_url), **fault.headers})
    if fault.kind == "trickle":
        return await _trickle(request, fault, release)
    if fault.kind == "huge":
        return await _huge(request, fault)
    raise ValueError(f"unknown fault {fault.kind!r}")


async def _trickle(request: web.Request, fault: Fault, release: asyncio.Event) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/rss+xml", **fault.headers})
    await response.prepare(request)
    with contextlib.suppress(ConnectionError):
        await response.write(_RSS_OPEN)
        while not release.is_set():
            await response.write(b" ")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(release.wait(), fault.every)
    return response


async def _huge(request: web.Request, fault: Fault) -> web.StreamResponse:
    headers = {"Content-Type": "application/rss+xml", **fault.headers}
    if fault.declare_length:
        headers["Content-Length"] = str(fault.size)
    response = web.StreamResponse(status=200, headers=headers)
    await response.prepare(request)
    filler = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
    sent = 0
    with contextlib.suppress(ConnectionError):
        await response.write(_RSS_OPEN)
        sent += len(_RSS_OPEN)
        while sent + len(filler) <= fault.size:
            await response.write(filler)
            sent += len(filler)
        await response.write_eof()
    return response


ENTITY_BOMB_BODY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
  <!ENTITY external SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Bomb &f;</title><link>https://news.example</link><description>x</description>
<item><title>Bomb &f; &external;</title><link>https://news.example/bomb</link><description>&f;</description></item>
</channel></rss>
"""
"""A "billion laughs" entity bomb (30**6 expansions) with an external entity: must do nothing."""

NOT_A_FEED_BODY = b"<!DOCTYPE html><html><head><title>Access denied</title></head><body><h1>403</h1></body></html>"
"""A bot-protection page served with 200 instead of the feed."""

GARBAGE_BODY = b"\x00\xff\xfe<<<<>>>> not xml at all \x89PNG\r\n\x1a\n" * 50
"""Binary garbage where XML should be."""
