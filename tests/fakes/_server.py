"""A small base class: an aiohttp application served on 127.0.0.1 with an ephemeral port."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web


class LoopbackServer:
    """Start/stop an aiohttp app on ``127.0.0.1:<ephemeral>``; subclasses add routes in ``_setup``."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._changed: asyncio.Condition | None = None
        self._background: set[asyncio.Task[None]] = set()

    # -- lifecycle -------------------------------------------------------------------------------
    def _setup(self, app: web.Application) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def start(self) -> Self:
        """Bind and serve; returns ``self`` so ``server = await Fake().start()`` works."""
        if self._runner is not None:
            return self
        self._changed = asyncio.Condition()
        app = web.Application(client_max_size=16 * 1024 * 1024)
        self._setup(app)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        address = runner.addresses[0]
        self._port = int(address[1])
        self._runner = runner
        return self

    async def _before_stop(self) -> None:
        """Hook for subclasses: release long-running handlers before the runner shuts down."""

    async def stop(self) -> None:
        """Stop serving. Safe to call twice."""
        if self._runner is None:
            return
        await self._before_stop()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- addressing ------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    # -- change notification -----------------------------------------------------------------------
    async def _notify(self) -> None:
        if self._changed is None:
            return
        async with self._changed:
            self._changed.notify_all()

    def _schedule_notify(self) -> None:
        """Notify waiters soon; callable from synchronous helpers (no-op outside an event loop)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self._notify())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until ``predicate()`` holds (checked on every recorded change); False on timeout."""
        if predicate():
            return True
        if self._changed is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            return predicate()
        return True
