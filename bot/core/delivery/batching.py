"""Grouping a chat's backlog of alerts into as few Telegram messages as fit, in order.

When a story breaks, one chat can have several alerts waiting at once. Dripping them at one a second
is slow and noisy, so the sender joins consecutive alerts for a chat into one message, starting a new
message whenever the next alert would push it past Telegram's 4096-character limit. Every alert row
stays its own row in the outbox; a batch only remembers which rows it carries. A story's alert is a
batch of its own (`story`): the first one is sent, later ones edit it or reply to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.formatting import TELEGRAM_LIMIT, fit_groups
from bot.core.models import OutboxMessage, StoryMessage

SEPARATOR = "\n\n━━━━━━━━\n\n"


@dataclass(frozen=True)
class StoryUpdate:
    """What a story's batch does to the chat's message for the story."""

    story_id: int
    base_text: str
    """The first report's alert, without the sources block."""
    entry_ids: frozenset[int]
    """The reports the message lists once this batch is delivered."""
    keyboard_outbox_id: int
    """The row the buttons under the message refer to."""
    previous: StoryMessage | None = None
    """The chat's message for the story; None when this batch is the story's first alert."""
    reply_text: str = ""
    """Sent as a reply to `previous` when it can no longer be edited."""


@dataclass(frozen=True)
class Batch:
    """One Telegram message to one chat, carrying one or more outbox rows."""

    chat_id: int
    outbox_ids: tuple[int, ...]
    text: str
    attempts: int
    """The most attempts any of its rows has already used."""
    silent: bool = False
    """Sent without a notification sound (quiet hours)."""
    buttons: Keyboard = ()
    """Inline buttons under the message (single alerts only, see bot/core/interface/alert_buttons.py)."""
    story: StoryUpdate | None = None
    """Set when the message is a story's alert (sent, edited in place, or replied to)."""
    thread_id: int | None = None
    """The forum topic of a group it goes to; None: the main chat."""


def batches_for_chat(messages: Sequence[OutboxMessage], limit: int = TELEGRAM_LIMIT, *,
                     silent: bool = False) -> list[Batch]:
    """Join one chat's alerts, oldest first, into messages of at most `limit` characters."""
    groups = fit_groups([len(message.text) for message in messages], len(SEPARATOR), limit)
    return [_batch(messages[group.start : group.stop], silent) for group in groups]


def _batch(group: Sequence[OutboxMessage], silent: bool) -> Batch:
    return Batch(
        chat_id=group[0].chat_id,
        outbox_ids=tuple(m.id for m in group),
        text=SEPARATOR.join(m.text for m in group),
        attempts=max(m.attempts for m in group),
        silent=silent,
    )
