"""python-telegram-bot's rate limiter for this bot: every request to Telegram paced by the process's one
`Pacer` (bot/core/delivery/pacing.py), so command replies, edits, callback answers and alerts share
Telegram's overall budget of about 30 messages a second and each chat's own limit.

Alerts are paced by the sender itself (bot/services/delivery.py takes their slots from the same pacer)
and pass `rate_limit_args=ALREADY_PACED`: they go straight through, and a 429 is raised to the sender,
which keeps the message in the outbox. Every other sending request (replies to commands, edits,
callback answers) reserves the next free slot and waits for it; if a 429 still gets through, all
sending pauses for its `retry_after` and the request is made again, so a handler never sees it. Only a
wait longer than `max_wait`, or more than `max_retries` refusals in a row, is raised. Requests that
send nothing (getMe, getUpdates, setMyCommands...) are not paced.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.core.delivery.pacing import Pacer

log = logging.getLogger(__name__)

ALREADY_PACED = "already-paced"
"""`rate_limit_args` of a request whose slot the caller already took from the pacer (alerts)."""
_SENDING_PREFIXES = ("send", "edit", "copy", "forward", "answerCallbackQuery")


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds (PTB gives an int or a timedelta depending on its settings)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


def chat_of(data: dict[str, Any]) -> int | None:
    """The numeric chat a request goes to, or None (callback answers; a channel's @username)."""
    chat = data.get("chat_id")
    if isinstance(chat, int):
        return chat
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return None


class PacedRateLimiter(BaseRateLimiter[str]):
    """Paces python-telegram-bot's requests with the process's one pacer; 429s are waited out."""

    def __init__(self, pacer: Pacer, *, max_wait: float = 60.0, max_retries: int = 5,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.pacer = pacer
        self.max_wait = max_wait
        self.max_retries = max_retries
        self.monotonic = monotonic
        self.sleep = sleep
        self.refusals = 0
        """429s this limiter has waited out (for logs and tests)."""

    async def initialize(self) -> None:
        """Nothing to set up: the pacer is plain bookkeeping."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any], rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if rate_limit_args == ALREADY_PACED or not endpoint.startswith(_SENDING_PREFIXES):
            return await callback(*args, **kwargs)
        chat_id = chat_of(data)
        retries = 0
        while True:
            await self._take_slot(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if wait > self.max_wait or retries == self.max_retries:
                    raise
                retries += 1
                self.refusals += 1
                self.pacer.pause(self.monotonic() + wait)
                log.warning("Telegram asked to wait %.0f s before %s; it will be sent again then", wait, endpoint)

    async def _take_slot(self, chat_id: int | None) -> None:
        """Wait for the chat's own limit, then book the next overall slot and wait until it comes."""
        while True:
            now = self.monotonic()
            slot = self.pacer.reserve(chat_id, now)
            if slot is not None:
                if slot > now:
                    await self.sleep(slot - now)
                return
            assert chat_id is not None
            await self.sleep(max(self.pacer.chat_ready_at(chat_id, now) - now, 0.001))
