"""What happens to the outbox rows of one message after Telegram answers: each answer becomes a record.

Sent rows are marked sent with Telegram's message id; 429 keeps them (the drain pauses); a chat that
blocked or kicked the bot is unsubscribed and its queue cancelled; a group that became a supergroup is
moved to its new id and the message resent there; rejected markup is resent as plain text; temporary
errors retry with capped backoff until MAX_ATTEMPTS; anything else fails with its reason. Nothing is
dropped without a status and a reason in the outbox.

A story's later reports (`Batch.story` with a previous message) edit the chat's alert in place, without
a notification; when Telegram will not edit it (deleted, not found, not modified, older than
EDIT_WINDOW), a short reply threaded to it says what is new. The rows and the chat's message for the
story are recorded together (`record_story_alert`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.delivery.batching import Batch
from bot.core.feeds.schedule import retry_delay
from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.formatting import html_to_plain
from bot.core.models import StoryMessage
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    EditRefused,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
)
from bot.services.ports import OutboxStore

log = logging.getLogger(__name__)

EDIT_WINDOW = timedelta(hours=48)
"""Telegram lets a bot edit its messages for about this long; older alerts get a threaded reply."""


class MessageSender(Protocol):
    """Sends one message to a chat and returns Telegram's message id; edits one it sent."""

    async def send(self, chat_id: int, text: str, *, html: bool = True, silent: bool = False,
                   buttons: Keyboard = (), reply_to: int | None = None) -> int | None: ...
    async def edit(self, chat_id: int, message_id: int, text: str, *, html: bool = True,
                   buttons: Keyboard = ()) -> None: ...


class StoryOutbox(OutboxStore, Protocol):
    """The outbox, and the chats' messages for stories."""

    async def record_story_alert(self, outbox_ids: Sequence[int], message: StoryMessage, now: datetime) -> None: ...


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

    def __init__(self, store: StoryOutbox, sender: MessageSender, clock: Callable[[], datetime],
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
                delivered = await self._transmit(chat_id, batch)
            except ChatMoved as moved:
                await self.store.migrate_chat(chat_id, moved.new_chat_id, self.clock())
                self.moved[batch.chat_id] = chat_id = moved.new_chat_id
                log.info("group %s became %s: subscription moved", batch.chat_id, chat_id)
                delivered = await self._transmit(chat_id, batch)
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
        if isinstance(delivered, StoryMessage):
            await self.store.record_story_alert(ids, dataclasses.replace(delivered, chat_id=chat_id), self.clock())
        else:
            await self.store.mark_sent(ids, delivered, self.clock())
        self.report.sent += len(ids)
        self.report.messages += 1
        return Outcome.SENT

    async def _transmit(self, chat_id: int, batch: Batch) -> int | StoryMessage | None:
        """Telegram's message id of a plain alert; the chat's message for a story after a story's batch."""
        if batch.story is None:
            return await self._send(chat_id, batch.text, batch)
        story = batch.story
        previous = story.previous
        if previous is None:
            message_id = await self._send(chat_id, batch.text, batch)
            return StoryMessage(chat_id, story.story_id, message_id, story.keyboard_outbox_id, batch.text,
                                story.base_text, story.entry_ids, editable=True, sent_at=self.clock())
        if previous.message_id is not None and previous.editable and self.clock() - previous.sent_at < EDIT_WINDOW:
            try:
                await self._edit(chat_id, previous.message_id, batch)
                return dataclasses.replace(previous, text=batch.text, entry_ids=story.entry_ids)
            except EditRefused as refused:
                log.info("alert %s in chat %s cannot be edited (%s): replying to it", previous.message_id, chat_id,
                         refused)
        await self._send(chat_id, story.reply_text, batch, reply_to=previous.message_id, buttons=False)
        return dataclasses.replace(previous, entry_ids=story.entry_ids, editable=False)

    async def _send(self, chat_id: int, text: str, batch: Batch, *, reply_to: int | None = None,
                    buttons: bool = True) -> int | None:
        keyboard = batch.buttons if buttons else ()
        try:
            return await self.sender.send(chat_id, text, html=True, silent=batch.silent, buttons=keyboard,
                                          reply_to=reply_to)
        except MarkupRejected:
            return await self.sender.send(chat_id, html_to_plain(text), html=False, silent=batch.silent,
                                          buttons=keyboard, reply_to=reply_to)

    async def _edit(self, chat_id: int, message_id: int, batch: Batch) -> None:
        try:
            await self.sender.edit(chat_id, message_id, batch.text, html=True, buttons=batch.buttons)
        except MarkupRejected:
            await self.sender.edit(chat_id, message_id, html_to_plain(batch.text), html=False, buttons=batch.buttons)

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
