"""Draining the outbox: send each pending alert, and mark it sent only after Telegram accepted it.

Every outcome is recorded: sent, retried later (429, timeouts), resent as plain text (bad markup),
or failed with its reason (the chat blocked the bot, a permanent refusal, too many attempts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.formatting import html_to_plain
from bot.core.models import OutboxMessage
from bot.core.schedule import retry_delay
from bot.errors import ChatUnavailable, FloodWait, MarkupRejected, PermanentSendError, TemporarySendError
from bot.services.ports import OutboxStore

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


class MessageSender(Protocol):
    """Sends one message to a chat and returns Telegram's message id."""

    async def send(self, chat_id: int, text: str, *, html: bool = True) -> int | None: ...


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


class DeliveryService:
    """Sends what the outbox holds, in order, through a paced sender."""

    def __init__(self, store: OutboxStore, sender: MessageSender, clock: Callable[[], datetime], *,
                 batch: int = 100, lease: timedelta = timedelta(minutes=2)) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.batch = batch
        self.lease = lease

    async def drain(self) -> DrainReport:
        """Send one batch of due messages; stops early when Telegram asks us to slow down."""
        report = DrainReport()
        messages = await self.store.claim_outbox(self.clock(), self.lease, self.batch)
        gone: set[int] = set()
        for position, message in enumerate(messages):
            if message.chat_id in gone:
                await self.store.mark_failed(message.id, "chat unavailable", self.clock())
                report.failed += 1
                continue
            try:
                await self._send(message)
            except FloodWait as error:
                wait_until = self.clock() + timedelta(seconds=error.retry_after)
                await self.store.postpone([rest.id for rest in messages[position:]], str(error), wait_until)
                report.retried += len(messages) - position
                log.warning("Telegram flood control: pausing %gs", error.retry_after)
                break
            except ChatUnavailable as error:
                gone.add(message.chat_id)
                await self.store.mark_failed(message.id, f"chat unavailable: {error}", self.clock())
                await self.store.deactivate(message.chat_id, f"chat unavailable: {error}", self.clock())
                report.failed += 1
                log.info("chat %s is unavailable (%s): unsubscribed", message.chat_id, error)
            except TemporarySendError as error:
                await self._retry_or_fail(message, str(error), report)
            except (PermanentSendError, MarkupRejected) as error:
                await self.store.mark_failed(message.id, str(error), self.clock())
                report.failed += 1
                log.warning("message %s to %s refused: %s", message.id, message.chat_id, error)
            except Exception as error:  # an unexpected error must not wedge the row: retry it with backoff
                log.exception("unexpected error sending message %s", message.id)
                await self._retry_or_fail(message, f"internal error: {type(error).__name__}: {error}", report)
            else:
                report.sent += 1
        return report

    async def _send(self, message: OutboxMessage) -> None:
        try:
            message_id = await self.sender.send(message.chat_id, message.text, html=True)
        except MarkupRejected:
            message_id = await self.sender.send(message.chat_id, html_to_plain(message.text), html=False)
        await self.store.mark_sent(message.id, message_id, self.clock())

    async def _retry_or_fail(self, message: OutboxMessage, error: str, report: DrainReport) -> None:
        attempts = message.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            await self.store.mark_failed(message.id, f"gave up after {attempts} attempts: {error}", self.clock())
            report.failed += 1
            return
        await self.store.mark_retry(message.id, error, self.clock() + retry_delay(attempts))
        report.retried += 1
