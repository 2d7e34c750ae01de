"""What happens to the outbox rows of one message after Telegram answers: each answer becomes a record.

Sent rows are marked sent with Telegram's message id; 429 keeps them (the drain pauses); a chat that
blocked or kicked the bot is unsubscribed and its queue cancelled; a group that became a supergroup is
moved to its new id and the message resent there; rejected markup is resent as plain text; temporary
errors retry with capped backoff until MAX_ATTEMPTS; anything else fails with its reason. Nothing is
dropped without a status and a reason in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.core.delivery.batching import Batch
from bot.core.feeds.schedule import retry_delay
from bot.core.interface.formatting import html_to_plain
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
)
from bot.services.ports import AlertOutbox, MessageSender

log = logging.getLogger(__name__)


class Outcome(Enum):
    """How a message ended, as far as the drain's schedule is concerned."""

    SENT = "sent"
    FLOOD = "flood"
    CHAT_GONE = "chat gone"
    RETRY_LATER = "retry later"
    FAILED = "failed"


@dataclass
class DrainReport:
    """What one drain did; counts are outbox rows unless they say messages."""

    claimed: int = 0
    sent: int = 0
    messages: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    flood_waits: int = 0
    set_aside: int = 0
    """Rows held for a digest or cancelled by a mute."""
    halted: bool = False


class OutcomeRecorder:
    """Sends a batch and records the outcome of each of its rows."""

    def __init__(self, store: AlertOutbox, sender: MessageSender, clock: Callable[[], datetime],
                 report: DrainReport, *, max_attempts: int, max_flood_wait: float) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.report = report
        self.max_attempts = max_attempts
        self.max_flood_wait = max_flood_wait
        self.halt_until: datetime | None = None
        self.last_flood_wait = 0.0
        self.moved: dict[int, int] = {}
        self.retry_at: dict[int, datetime] = {}

    async def deliver(self, batch: Batch) -> Outcome:
        """Send one message and record what became of its rows."""
        chat_id = self.moved.get(batch.chat_id, batch.chat_id)
        ids = batch.outbox_ids
        try:
            try:
                message_id = await self._send(chat_id, batch)
            except ChatMoved as moved:
                await self.store.migrate_chat(chat_id, moved.new_chat_id, self.clock())
                self.moved[batch.chat_id] = chat_id = moved.new_chat_id
                log.info("group %s became %s: subscription moved", batch.chat_id, chat_id)
                message_id = await self._send(chat_id, batch)
        except FloodWait as error:
            self.report.flood_waits += 1
            self.last_flood_wait = error.retry_after
            if error.retry_after > self.max_flood_wait:
                self.halt_until = self.clock() + timedelta(seconds=error.retry_after)
                self.report.halted = True
            log.warning("Telegram flood control: pausing %gs", error.retry_after)
            return Outcome.FLOOD
        except ChatUnavailable as error:
            await self.store.mark_failed(ids, f"chat unavailable: {error}", self.clock())
            await self.store.deactivate(chat_id, f"chat unavailable: {error}", self.clock())
            self.report.failed += len(ids)
            log.info("chat %s is unavailable (%s): unsubscribed", chat_id, error)
            return Outcome.CHAT_GONE
        except (PermanentSendError, MarkupRejected, ChatMoved) as error:
            await self._fail(ids, str(error))
            log.warning("message to %s refused: %s", chat_id, error)
            return Outcome.FAILED
        except TemporarySendError as error:
            return await self._retry_or_fail(batch, chat_id, str(error))
        except Exception as error:  # an unexpected error must not wedge the rows: retry them with backoff
            log.exception("unexpected error sending to %s", chat_id)
            return await self._retry_or_fail(batch, chat_id, f"internal error: {type(error).__name__}: {error}")
        await self.store.mark_sent(ids, message_id, self.clock())
        self.report.sent += len(ids)
        self.report.messages += 1
        return Outcome.SENT

    async def _send(self, chat_id: int, batch: Batch) -> int | None:
        try:
            return await self.sender.send(chat_id, batch.text, html=True, silent=batch.silent, buttons=batch.buttons)
        except MarkupRejected:
            return await self.sender.send(chat_id, html_to_plain(batch.text), html=False, silent=batch.silent,
                                          buttons=batch.buttons)

    async def _fail(self, ids: Sequence[int], error: str) -> None:
        await self.store.mark_failed(ids, error, self.clock())
        self.report.failed += len(ids)

    async def _retry_or_fail(self, batch: Batch, chat_id: int, error: str) -> Outcome:
        attempts = batch.attempts + 1
        if attempts >= self.max_attempts:
            await self._fail(batch.outbox_ids, f"gave up after {attempts} attempts: {error}")
            return Outcome.FAILED
        self.retry_at[chat_id] = self.clock() + retry_delay(attempts)
        await self.store.mark_retry(batch.outbox_ids, error, self.retry_at[chat_id])
        self.report.retried += len(batch.outbox_ids)
        return Outcome.RETRY_LATER

    async def hold_rest(self, chat_id: int, batches: Sequence[Batch], outcome: Outcome) -> None:
        """The chat's later messages in this drain: cancelled with the chat, or kept behind its retry."""
        rows = [i for batch in batches for i in batch.outbox_ids]
        if not rows:
            return
        if outcome is Outcome.CHAT_GONE:  # deactivate() already cancelled every pending row of the chat
            self.report.cancelled += len(rows)
            return
        until = self.retry_at[self.moved.get(chat_id, chat_id)]
        await self.store.postpone(rows, "waiting behind an earlier alert to this chat", until)
        self.report.retried += len(rows)

    async def postpone(self, batches: Sequence[Batch], until: datetime) -> None:
        """Hand unsent messages back to the outbox, due at `until` (a long flood wait)."""
        rows = [i for batch in batches for i in batch.outbox_ids]
        await self.store.postpone(rows, f"flood control: retry after {self.last_flood_wait:g}s", until)
        self.report.retried += len(rows)
