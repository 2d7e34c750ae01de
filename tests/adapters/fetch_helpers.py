"""Shared helpers for the fetcher tests: a fake DNS resolver, fetchers on mock transports, loopback servers.

Imported as `fetch_helpers` (pytest puts this directory on sys.path). No test here ever resolves a
real name: hostnames go through `FakeResolver`, and real servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx

from bot.adapters.feeds.address_guard import AddressGuard
from bot.adapters.feeds.fetcher import Fetcher

PUBLIC_IP = "93.184.215.14"
"""A globally routable address that fake public hostnames resolve to (never connected to)."""

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]
ConnectionHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class FakeResolver:
    """Answers from `table` (host -> addresses), else with PUBLIC_IP; records every lookup."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = dict(table or {})
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        answer = self.table.get(host, [PUBLIC_IP])
        if not answer:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return answer


def mock_fetcher(handler: Handler, *, resolver: FakeResolver | None = None, allow_private: bool = False,
                 **kwargs: object) -> Fetcher:
    """A Fetcher whose requests go to `handler` and whose guard resolves names with a FakeResolver."""
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    guard = AddressGuard(allow_private=allow_private, resolver=resolver or FakeResolver())
    return Fetcher(client, guard=guard, **kwargs)  # type: ignore[arg-type]


@asynccontextmanager
async def loopback_server(handler: ConnectionHandler) -> AsyncIterator[str]:
    """Serve raw TCP connections with `handler` on 127.0.0.1; yields the base URL."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@asynccontextmanager
async def loopback_fetcher(**kwargs: object) -> AsyncIterator[Fetcher]:
    """A real Fetcher (own client) that may fetch from loopback; closed afterwards."""
    fetcher = Fetcher(allow_private_addresses=True, **kwargs)  # type: ignore[arg-type]
    try:
        yield fetcher
    finally:
        await fetcher.aclose()
