"""Sending one message and recording what became of its outbox rows, in the plan-then-apply shape.

The attempt is I/O (a group that became a supergroup is moved to its new id and the message resent there;
rejected markup is resent as plain text); what the answer means for the rows is decided without I/O by
bot.core.delivery.settlement.settle, and storage records that `Settlement` in one call
(`AlertOutbox.settle`). The recorder keeps what the drain needs to know: the report, a long flood wait
that halts the drain, each chat's retry time and its moves.

A story's later reports (`Batch.story` with a previous message) edit the chat's alert in place, without a
notification; when Telegram will not edit it (deleted, not found) or it is older than
EDIT_WINDOW, a short reply threaded to it says what is new. The chat's message for the story settles with
the rows (`SendAttempt.story`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.delivery.batching import Batch
from bot.core.delivery.settlement import Outcome, SendAttempt, Settlement, settle
from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.formatting import html_to_plain
from bot.core.models import StoryMessage
from bot.errors import ChatMoved, EditRefused, MarkupRejected, SendError, TopicGone
from bot.services.ports import AlertOutbox, MessageSender

__all__ = ["DrainReport", "Outcome", "OutcomeRecorder", "edit_in_place"]

log = logging.getLogger(__name__)

EDIT_WINDOW = timedelta(hours=48)
"""Telegram lets a bot edit its messages for about this long; older alerts get a threaded reply."""


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


async def edit_in_place(sender: MessageSender, chat_id: int, message_id: int, text: str, buttons: Keyboard) -> None:
    """Edit a message the bot sent (no notification), as plain text if Telegram rejects the markup;
    bot.errors.EditRefused when Telegram will not edit it (gone, too old)."""
    try:
        await sender.edit(chat_id, message_id, text, html=True, buttons=buttons)
    except MarkupRejected:
        await sender.edit(chat_id, message_id, html_to_plain(text), html=False, buttons=buttons)


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
        """Send one message, then settle its rows: decide (pure), record (one call), count."""
        attempt = await self._attempt(batch)
        settlement = settle(attempt, tuple(batch.outbox_ids), batch.attempts, self.clock(),
                            max_attempts=self.max_attempts, max_flood_wait=self.max_flood_wait)
        await self.store.settle(settlement)
        self._count(settlement)
        return settlement.outcome

    async def _attempt(self, batch: Batch) -> SendAttempt:
        """Telegram's answer to the batch's message, following a group's move to a supergroup once, and
        falling back to the main chat once when its forum topic is gone."""
        chat_id = self.moved.get(batch.chat_id, batch.chat_id)
        try:
            try:
                return await self._transmit(chat_id, batch)
            except ChatMoved as moved:
                await self.store.migrate_chat(chat_id, moved.new_chat_id, self.clock())
                self.moved[batch.chat_id] = chat_id = moved.new_chat_id
                log.info("group %s became %s: subscription moved", batch.chat_id, chat_id)
                return await self._transmit(chat_id, batch)
            except TopicGone:
                await self.store.set_topic(chat_id, None, self.clock())
                log.info("the forum topic of chat %s is gone: its alerts go to the main chat", chat_id)
                return await self._transmit(chat_id, dataclasses.replace(batch, thread_id=None))
        except Exception as error:  # every failure is settled; an unexpected one retries with backoff
            if not isinstance(error, SendError):
                log.exception("unexpected error sending to %s", chat_id)
            return SendAttempt(chat_id, error=error)

    async def _transmit(self, chat_id: int, batch: Batch) -> SendAttempt:
        """Send a plain alert or a story's first alert; edit a story's alert in place, or reply to it."""
        story = batch.story
        if story is None:
            return SendAttempt(chat_id, await self._send(chat_id, batch.text, batch))
        previous = story.previous
        if previous is None:
            message_id = await self._send(chat_id, batch.text, batch)
            message = StoryMessage(chat_id, story.story_id, message_id, story.keyboard_outbox_id, batch.text,
                                   story.base_text, story.entry_ids, editable=True, sent_at=self.clock())
            return SendAttempt(chat_id, message_id, story=message)
        if previous.message_id is not None and previous.editable and self.clock() - previous.sent_at < EDIT_WINDOW:
            try:
                await self._edit(chat_id, previous.message_id, batch)
                grown = dataclasses.replace(previous, text=batch.text, entry_ids=story.entry_ids)
                return SendAttempt(chat_id, previous.message_id, story=grown)
            except EditRefused as refused:
                log.info("alert %s in chat %s cannot be edited (%s): replying to it", previous.message_id, chat_id,
                         refused)
        reply_id = await self._send(chat_id, story.reply_text, batch, reply_to=previous.message_id, buttons=False)
        replied = dataclasses.replace(previous, entry_ids=story.entry_ids, editable=False)
        return SendAttempt(chat_id, reply_id, story=replied)

    async def _send(self, chat_id: int, text: str, batch: Batch, *, reply_to: int | None = None,
                    buttons: bool = True) -> int | None:
        keyboard = batch.buttons if buttons else ()
        try:
            return await self.sender.send(chat_id, text, html=True, silent=batch.silent, buttons=keyboard,
                                          thread_id=batch.thread_id, reply_to=reply_to)
        except MarkupRejected:
            return await self.sender.send(chat_id, html_to_plain(text), html=False, silent=batch.silent,
                                          buttons=keyboard, thread_id=batch.thread_id, reply_to=reply_to)

    async def _edit(self, chat_id: int, message_id: int, batch: Batch) -> None:
        await edit_in_place(self.sender, chat_id, message_id, batch.text, batch.buttons)

    def _count(self, settlement: Settlement) -> None:
        """What the settlement means for the report and for the rest of the drain."""
        rows, outcome = len(settlement.outbox_ids), settlement.outcome
        if outcome is Outcome.SENT:
            self.report.sent += rows
            self.report.messages += 1
        elif outcome is Outcome.FLOOD:
            self.report.flood_waits += 1
            self.last_flood_wait = settlement.flood_wait
            if settlement.halt_until is not None:
                self.halt_until = settlement.halt_until
                self.report.halted = True
            log.warning("Telegram flood control: pausing %gs", settlement.flood_wait)
        elif outcome is Outcome.RETRY_LATER:
            assert settlement.retry_at is not None
            self.retry_at[settlement.chat_id] = settlement.retry_at
            self.report.retried += rows
        else:
            self.report.failed += rows
            log.warning("message to %s not delivered (%s): %s", settlement.chat_id, outcome.value, settlement.error)

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
