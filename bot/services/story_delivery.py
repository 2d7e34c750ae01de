"""Story alerts in a drain: the first report of a story is sent with its sources block, later ones grow it.

`load_stories` reads, once per drain, what the claimed rows' stories need: each chat's message for the
story (bot/adapters/storage/story_store.py), every stored report of the story, and the context of the
rows whose buttons those messages carry. `StoryAlerts` then makes one chat's story batches: a first
alert (the first row's alert followed by the story's sources, bot/core/stories/story_alert.py), or an
update of the chat's message listing every report known now, with the reply to send instead when the
message can no longer be edited (bot/services/delivery_outcomes.py decides that). An update that would
add nothing (every report is already listed) needs no message at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from bot.core.delivery.batching import Batch, StoryUpdate
from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.i18n import Texts
from bot.core.models import OutboxMessage, RowContext, StoryMessage
from bot.core.stories.story_alert import StoryReport, independent_sources, reply_text, story_text
from bot.services.ports import DeliveryModeStorage


@dataclass
class StoryView:
    """The stories of one drain's rows: the chats' messages and every report of each story."""

    messages: dict[tuple[int, int], StoryMessage] = field(default_factory=dict)
    reports: dict[int, list[StoryReport]] = field(default_factory=dict)

    def previous(self, chat_id: int, story_id: int | None) -> StoryMessage | None:
        """The chat's message for the story, if it got one."""
        return None if story_id is None else self.messages.get((chat_id, story_id))

    def corroborated(self, story_id: int) -> bool:
        """Whether a second independent source reported the story."""
        return independent_sources(self.reports.get(story_id, [])) >= 2


async def load_stories(store: DeliveryModeStorage, rows: Sequence[OutboxMessage],
                       context: dict[int, RowContext]) -> StoryView:
    """What the rows' stories need; the context of rows that carry existing messages' buttons is added
    to `context`."""
    pairs = {(row.chat_id, row.story_id) for row in rows if row.story_id is not None}
    if not pairs:
        return StoryView()
    messages = await store.story_messages(pairs)
    reports = await store.story_reports({story_id for _, story_id in pairs})
    missing = {m.outbox_id for m in messages.values() if m.outbox_id is not None and m.outbox_id not in context}
    if missing:
        context.update(await store.outbox_context(missing))
    return StoryView(messages, reports)


class StoryAlerts:
    """One chat's story batches, in its alert language and time zone."""

    def __init__(self, view: StoryView, texts: Texts, zone: tzinfo, buttons: Callable[[int], Keyboard]) -> None:
        self.view = view
        self.texts = texts
        self.zone = zone
        self.buttons = buttons

    def first_alert(self, rows: Sequence[OutboxMessage], silent: bool) -> Batch:
        """The story's first alert to the chat: the oldest row's alert and the story's sources."""
        first = min(rows, key=lambda row: row.id)
        assert first.story_id is not None
        reports = self.view.reports.get(first.story_id, [])
        ids = tuple(sorted(row.id for row in rows))
        attempts = max(row.attempts for row in rows)
        if not reports:  # the entries are gone: a plain alert
            return Batch(first.chat_id, ids, first.text, attempts, silent, self.buttons(first.id))
        update = StoryUpdate(first.story_id, first.text, frozenset(r.entry_id for r in reports), first.id)
        text = story_text(first.text, reports, self.texts, self.zone)
        return Batch(first.chat_id, ids, text, attempts, silent, self.buttons(first.id), story=update)

    def update(self, previous: StoryMessage, rows: Sequence[OutboxMessage]) -> Batch | None:
        """The edit of the chat's message (with its reply fallback), or None when it already lists every report."""
        reports = self.view.reports.get(previous.story_id, [])
        listed = frozenset(r.entry_id for r in reports) | previous.entry_ids
        new = [r for r in reports if r.entry_id not in previous.entry_ids]
        if not new:
            return None
        shown = [r for r in reports if r.entry_id in listed]
        keyboard_row = previous.outbox_id if previous.outbox_id is not None else min(row.id for row in rows)
        update = StoryUpdate(previous.story_id, previous.base_text, listed, keyboard_row, previous,
                             reply_text(new, shown, self.texts, self.zone))
        text = story_text(previous.base_text, shown, self.texts, self.zone)
        return Batch(previous.chat_id, tuple(sorted(row.id for row in rows)), text,
                     max(row.attempts for row in rows), silent=True, buttons=self.buttons(keyboard_row), story=update)
