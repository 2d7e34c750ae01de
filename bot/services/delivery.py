"""Draining the outbox: paced, concurrent sending, and a recorded outcome for every alert.

One drain claims a batch of due rows under a lease, joins each chat's backlog into as few messages as
fit (bot/core/delivery/batching.py), after each chat's mutes, quiet hours and digest mode had their say
(bot/services/delivery_modes.py), and sends them as fast as the pacer allows (bot/core/delivery/pacing.py): evenly
spaced overall, a token bucket per private chat, a window per group, several requests in flight but
never two to the same chat. A row is marked sent only after Telegram accepted the message carrying it,
so a crash repeats at most the messages in flight. Outcomes (bot/services/delivery_outcomes.py): 429
pauses everything for `retry_after` and keeps the message; a blocked chat is unsubscribed; a migrated
group is moved; bad markup is resent as plain text; temporary errors back off; the rest fail with a reason.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.delivery.batching import Batch
from bot.core.delivery.pacing import Pacer
from bot.services.delivery_modes import DeliveryModes
from bot.services.delivery_outcomes import DrainReport, Outcome, OutcomeRecorder
from bot.services.ports import DeliveryStorage, MessageSender

__all__ = ["MAX_ATTEMPTS", "DeliveryService", "DrainReport", "MessageSender"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class DeliveryOptions:
    """How much one drain takes on, and how long it may hold it."""

    batch: int = 300
    """Rows claimed per drain: at ~29 messages/s about ten seconds of work."""
    lease: timedelta = timedelta(seconds=60)
    """How long claimed rows stay ours; after a crash they are sent again once it expires."""
    concurrency: int = 8
    """Requests in flight at once (never two to the same chat)."""
    max_flood_wait: float = 30.0
    """A 429 asking to wait longer than this ends the drain and reschedules the rest in the database."""


class DeliveryService:
    """Sends what the outbox holds through a paced sender, one drain at a time."""

    def __init__(self, store: DeliveryStorage, sender: MessageSender, clock: Callable[[], datetime], *,
                 options: DeliveryOptions | None = None, pacer: Pacer | None = None,
                 modes: DeliveryModes | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.options = options or DeliveryOptions()
        self.modes = modes or DeliveryModes(store)
        self.pacer = pacer or Pacer()
        self.monotonic = monotonic
        self.sleep = sleep
        self._one_drain_at_a_time = asyncio.Lock()

    @property
    def turn(self) -> asyncio.Lock:
        """Held by each drain; whatever else edits this process's alerts (late translations) takes it too."""
        return self._one_drain_at_a_time

    async def drain(self) -> DrainReport:
        """Claim one batch of due rows and settle every one of them (sent, retried, postponed or failed)."""
        async with self._one_drain_at_a_time:
            report = DrainReport()
            rows = await self.store.claim_outbox(self.clock(), self.options.lease, self.options.batch)
            report.claimed = len(rows)
            if rows:
                plan = await self.modes.plan(rows, self.clock(), report)
                recorder = OutcomeRecorder(self.store, self.sender, self.clock, report, max_attempts=MAX_ATTEMPTS,
                                           max_flood_wait=self.options.max_flood_wait)
                await _Run(self, recorder, plan).run()
            self.pacer.forget_idle(self.monotonic())
            return report


class _Run:
    """One drain's schedule: a heap of chats by the time their next message may go."""

    def __init__(self, service: DeliveryService, recorder: OutcomeRecorder, plan: dict[int, list[Batch]]) -> None:
        self.service = service
        self.pacer = service.pacer
        self.recorder = recorder
        self.queues = {chat_id: deque(batches) for chat_id, batches in plan.items()}
        self.heap: list[tuple[float, int, int]] = []
        self.order = 0
        self.in_flight: set[asyncio.Task[None]] = set()
        now = service.monotonic()
        for chat_id in self.queues:
            self._push(chat_id, now)

    def _push(self, chat_id: int, now: float) -> None:
        self.order += 1
        heapq.heappush(self.heap, (self.pacer.chat_ready_at(chat_id, now), self.order, chat_id))

    async def run(self) -> None:
        while self.heap or self.in_flight:
            if self.recorder.halt_until is not None:
                break
            if not self.heap or len(self.in_flight) >= self.service.options.concurrency:
                await asyncio.wait(self.in_flight, return_when=asyncio.FIRST_COMPLETED)
                continue
            now = self.service.monotonic()
            due = max(self.heap[0][0], self.pacer.global_ready_at(now))
            if due > now:
                await self._wait(due - now)
                continue
            _, _, chat_id = heapq.heappop(self.heap)
            if self.pacer.chat_ready_at(chat_id, now) > now:  # a reply to this chat took its turn meanwhile
                self._push(chat_id, now)
                continue
            batch = self.queues[chat_id].popleft()
            self.pacer.record(chat_id, now)
            task = asyncio.create_task(self._deliver(chat_id, batch))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        if self.in_flight:
            await asyncio.wait(self.in_flight)
        await self._postpone_the_rest()

    async def _wait(self, seconds: float) -> None:
        """Sleep until `seconds` have passed or a send finishes (which may change the schedule)."""
        if not self.in_flight:
            await self.service.sleep(seconds)
            return
        sleeper = asyncio.create_task(self.service.sleep(seconds))
        await asyncio.wait({sleeper, *self.in_flight}, return_when=asyncio.FIRST_COMPLETED)
        sleeper.cancel()

    async def _deliver(self, chat_id: int, batch: Batch) -> None:
        outcome = await self.recorder.deliver(batch)
        now = self.service.monotonic()
        if outcome is Outcome.FLOOD:  # keep the message: resent after the pause, or postponed at a halt
            self.pacer.pause(now + self.recorder.last_flood_wait)
            self.queues[chat_id].appendleft(batch)
        elif outcome in (Outcome.CHAT_GONE, Outcome.RETRY_LATER):
            await self.recorder.hold_rest(chat_id, list(self.queues.pop(chat_id)), outcome)
            return
        if self.queues[chat_id]:
            self._push(chat_id, now)
        else:
            del self.queues[chat_id]

    async def _postpone_the_rest(self) -> None:
        rest = [batch for queue in self.queues.values() for batch in queue]
        if rest and self.recorder.halt_until is not None:
            await self.recorder.postpone(rest, self.recorder.halt_until)
