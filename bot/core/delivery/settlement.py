"""What becomes of one message's outbox rows after Telegram answered, decided as one value.

The sender's drain has the same plan-then-apply shape as a feed check (bot/core/feeds/check_plan.py): the
service makes the attempt (bot/services/delivery_outcomes.py), `settle` turns the answer into a
`Settlement` without I/O, and storage records it in one call (`AlertOutbox.settle`). Sent rows are marked
sent with Telegram's message id; a 429 keeps them (the drain pauses, or stops when the wait is long); a
chat that blocked or kicked the bot is unsubscribed and its queue cancelled; temporary errors retry with
capped backoff until `max_attempts`; anything else fails with its reason. Nothing is dropped without a
status and a reason in the outbox. A story's message (a first alert, an edit, a threaded reply) settles
with the chat's message for the story as it now stands, recorded with the rows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.core.feeds.schedule import retry_delay
from bot.core.models import StoryMessage
from bot.errors import ChatMoved, ChatUnavailable, FloodWait, MarkupRejected, PermanentSendError, TemporarySendError


class Outcome(Enum):
    """How a message ended, as far as the drain's schedule is concerned."""

    SENT = "sent"
    FLOOD = "flood"
    CHAT_GONE = "chat gone"
    RETRY_LATER = "retry later"
    FAILED = "failed"


@dataclass(frozen=True)
class SendAttempt:
    """What Telegram answered to one message for `chat_id` (its id after a group migration): the message
    id, or the error raised."""

    chat_id: int
    message_id: int | None = None
    error: BaseException | None = None
    story: StoryMessage | None = None
    """After a story's message went through: the chat's message for the story as it now stands."""


@dataclass(frozen=True)
class Settlement:
    """What to record about the rows `outbox_ids` of one message, and what it means for the drain.

    `error` is stored with failed or retried rows; `retry_at` is when retried rows are due again;
    `deactivate` names the chat to unsubscribe; `flood_wait` is Telegram's wait after a 429 and
    `halt_until` is set when that wait is too long for this drain.
    """

    outcome: Outcome
    chat_id: int
    outbox_ids: tuple[int, ...]
    now: datetime
    message_id: int | None = None
    error: str | None = None
    retry_at: datetime | None = None
    deactivate: bool = False
    flood_wait: float = 0.0
    halt_until: datetime | None = None
    story: StoryMessage | None = None
    """Recorded with sent rows: the chat's message for their story (bot/adapters/storage/story_store.py)."""


def settle(attempt: SendAttempt, outbox_ids: tuple[int, ...], attempts: int, now: datetime, *,
           max_attempts: int, max_flood_wait: float) -> Settlement:
    """The settlement of one attempt at sending the rows `outbox_ids`, tried `attempts` times before."""
    error, chat_id = attempt.error, attempt.chat_id
    if error is None:
        story = None if attempt.story is None else dataclasses.replace(attempt.story, chat_id=chat_id)
        return Settlement(Outcome.SENT, chat_id, outbox_ids, now, message_id=attempt.message_id, story=story)
    if isinstance(error, FloodWait):
        halt = now + timedelta(seconds=error.retry_after) if error.retry_after > max_flood_wait else None
        return Settlement(Outcome.FLOOD, chat_id, outbox_ids, now, flood_wait=error.retry_after, halt_until=halt)
    if isinstance(error, ChatUnavailable):
        return Settlement(Outcome.CHAT_GONE, chat_id, outbox_ids, now, error=f"chat unavailable: {error}",
                          deactivate=True)
    if isinstance(error, PermanentSendError | MarkupRejected | ChatMoved):
        return Settlement(Outcome.FAILED, chat_id, outbox_ids, now, error=str(error))
    reason = str(error) if isinstance(error, TemporarySendError) else (
        f"internal error: {type(error).__name__}: {error}")
    tried = attempts + 1
    if tried >= max_attempts:
        return Settlement(Outcome.FAILED, chat_id, outbox_ids, now, error=f"gave up after {tried} attempts: {reason}")
    return Settlement(Outcome.RETRY_LATER, chat_id, outbox_ids, now, error=reason, retry_at=now + retry_delay(tried))
