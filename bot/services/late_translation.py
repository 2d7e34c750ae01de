"""Adding a translation to an alert that went out without one, by editing it once a translator answers.

When every translator failed, the scan queued the alert with the original text and a note, and kept its
content (bot/core/delivery/late_translation.py) beside the outbox row. Each `run`:

1. deletes what can no longer be repaired (older than the story window, failed, cancelled, digested, or
   to a chat that left) and lists the alerts that were sent;
2. asks the translation service (cache, then the chain with its circuit breakers, so an open breaker
   costs nothing) once per distinct text and language pair, stopping at the first failure: the
   providers are still down, and each further text would only cost another deadline (each run starts
   one text further, so a text no provider takes never holds back the others);
3. message by message under the sender's turn (no drain edits it meanwhile), renders each alert again with
   its translation and edits the chat's message in place, without a notification, keeping its buttons:
   a story's alert keeps its sources block (bot/core/stories/story_alert.py) and its new base is stored,
   so later reports grow the translated alert; alerts joined into one message are edited together.

An edit is recorded (new texts, pending rows gone) only after Telegram accepted it; after a crash the
repeated edit is "not modified", which the sender counts as done. A message Telegram will not edit any more (gone,
too old) loses its pending row: no reply is sent, a late translation is not worth a new notification.
A flood wait ends the run; temporary errors keep the rows for the next run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.delivery.late_translation import (
    WINDOW,
    UntranslatedAlert,
    decode,
    message_text,
    still_waiting,
    translated,
)
from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.formatting import TELEGRAM_LIMIT, AlertContent, render_alert
from bot.core.models import ChatPreferences, RowContext, StoryMessage
from bot.core.stories.story_alert import story_text
from bot.errors import ChatUnavailable, EditRefused, FloodWait, SendError, TemporarySendError
from bot.services.delivery_modes import DeliveryModes, time_zone
from bot.services.delivery_outcomes import edit_in_place
from bot.services.ports import LateTranslationStorage, MessageSender
from bot.services.translation import TranslationService

log = logging.getLogger(__name__)

_Key = tuple[str, str, str, str]
"""(title, summary, source language, target language): one translation request."""


@dataclass
class LateTranslationReport:
    """What one run did, counted in alerts."""

    edited: int = 0
    waiting: int = 0
    dropped: int = 0
    expired: int = 0
    halted: bool = False


@dataclass
class _Message:
    """One Telegram message carrying untranslated alerts, and their new contents."""

    chat_id: int
    message_id: int
    alerts: list[UntranslatedAlert] = field(default_factory=list)
    contents: dict[int, AlertContent] = field(default_factory=dict)


class LateTranslations:
    """Edits untranslated alerts once a translator answers again."""

    def __init__(self, store: LateTranslationStorage, translation: TranslationService, sender: MessageSender,
                 modes: DeliveryModes, clock: Callable[[], datetime], *, turn: asyncio.Lock | None = None,
                 window: timedelta = WINDOW, limit: int = 200, max_translations: int = 20) -> None:
        self.store = store
        self.translation = translation
        self.sender = sender
        self.modes = modes
        self.clock = clock
        self.turn = turn or asyncio.Lock()
        self.window = window
        self.limit = limit
        self.max_translations = max_translations
        self._runs = 0

    async def run(self) -> LateTranslationReport:
        """One pass over the alerts waiting for their translation."""
        report = LateTranslationReport()
        now = self.clock()
        report.expired = await self.store.expire_untranslated(now - self.window)
        alerts = [a for a in await self.store.untranslated_alerts(now - self.window, self.limit)
                  if still_waiting(a.created_at, now, self.window)]
        contents = {a.outbox_id: decode(a.content) for a in alerts}
        damaged = [outbox_id for outbox_id, content in contents.items() if content is None]
        await self.store.forget_untranslated(damaged)
        report.dropped += len(damaged)
        found = await self._translations([c for c in contents.values() if c is not None])
        self._runs += 1
        messages: dict[tuple[int, int], _Message] = {}
        for alert in alerts:
            content = contents[alert.outbox_id]
            if content is None:
                continue
            answer = found.get(_key(content))
            if answer is None:
                report.waiting += 1
                continue
            message = messages.setdefault((alert.chat_id, alert.message_id), _Message(alert.chat_id, alert.message_id))
            message.alerts.append(alert)
            message.contents[alert.outbox_id] = translated(content, *answer)
        if messages:
            await self._edit_all(list(messages.values()), report)
        if report.edited or report.dropped:
            log.info("late translations: %d alerts edited, %d dropped, %d still waiting", report.edited,
                     report.dropped, report.waiting)
        return report

    async def _translations(self, contents: list[AlertContent]) -> dict[_Key, tuple[str, str | None]]:
        """Title and summary of each distinct text, until a translation fails or enough were asked. Each run
        starts one text further down the list, so a text no provider will take never blocks the others."""
        distinct = list(dict.fromkeys(_key(content) for content in contents))
        if distinct:
            start = self._runs % len(distinct)
            distinct = distinct[start:] + distinct[:start]
        found: dict[_Key, tuple[str, str | None]] = {}
        for key in distinct[: self.max_translations]:
            title_text, summary_text, source, target = key
            title, summary = await self.translation.translate_pair(title_text, summary_text, source, target)
            if title is None:
                break  # still down: the next text would only wait for the same deadlines
            found[key] = (title, summary)
        return found

    async def _edit_all(self, messages: list[_Message], report: LateTranslationReport) -> None:
        """Each message in turn, each under the sender's turn (so no drain edits it meanwhile, and a drain
        never waits for more than one paced edit)."""
        now = self.clock()
        chats = await self.store.delivery_preferences({m.chat_id for m in messages}, now)
        context = await self.store.outbox_context([a.outbox_id for m in messages for a in m.alerts])
        gone: set[int] = set()
        for message in messages:
            chat = chats.get(message.chat_id)
            if chat is None or not chat.active or message.chat_id in gone:
                await self._drop([a.outbox_id for a in message.alerts], report)
                continue
            async with self.turn:
                if not await self._one(message, chat, context, gone, report):
                    return

    async def _one(self, message: _Message, chat: ChatPreferences, context: dict[int, RowContext], gone: set[int],
                   report: LateTranslationReport) -> bool:
        """Edit one message and count the outcome; False when Telegram asks to wait (the run ends)."""
        pairs = {(a.chat_id, a.story_id) for a in message.alerts if a.story_id is not None}
        story = _story_of(message, await self.store.story_messages(pairs)) if pairs else None
        if story is not None:  # only the story's first report is shown; the others are listed below it
            await self._drop([a.outbox_id for a in message.alerts if a.outbox_id != story.outbox_id], report)
            message.alerts = [a for a in message.alerts if a.outbox_id == story.outbox_id]
            if not message.alerts:
                return True
        ids = [a.outbox_id for a in message.alerts]
        try:
            done = await self._edit(message, chat, context, story)
        except FloodWait as wait:
            log.info("late translations: Telegram asks to wait %gs; the rest waits for the next run",
                     wait.retry_after)
            report.halted = True
            return False
        except TemporarySendError as error:
            log.info("late translation of a message in chat %s not sent yet: %s", message.chat_id, error)
            done = None
        except ChatUnavailable:
            gone.add(message.chat_id)
            done = False
        except SendError as error:
            log.info("late translation of a message in chat %s refused: %s", message.chat_id, error)
            done = False
        if done is None:
            report.waiting += len(ids)
        elif done:
            report.edited += len(ids)
        else:
            await self._drop(ids, report)
        return True

    async def _edit(self, message: _Message, chat: ChatPreferences, context: dict[int, RowContext],
                    story: StoryMessage | None) -> bool | None:
        """Edit the message and record it: True when done, False when it cannot be edited (drop its rows),
        None when it should be tried again later (another process changed the story message)."""
        texts = {a.outbox_id: render_alert(message.contents[a.outbox_id], self.modes.localize)
                 for a in message.alerts}
        first = message.alerts[0]
        if story is not None:
            if story.message_id != message.message_id or not story.editable:
                return False  # the alert's message was replied to instead: leave it be
            reports = (await self.store.story_reports([story.story_id])).get(story.story_id, [])
            listed = [r for r in reports if r.entry_id in story.entry_ids]
            base = texts[first.outbox_id]
            text = (story_text(base, listed, self.modes.localize(chat.language), time_zone(chat.time_zone))
                    if listed else base)
            buttons = self.modes.keyboard(first.outbox_id, chat, context)
        else:
            rows = await self.store.message_rows(message.chat_id, message.message_id)
            if not rows or any(digest for _, _, digest in rows) or not set(texts) <= {i for i, _, _ in rows}:
                return False
            text = message_text([(i, t) for i, t, _ in rows], texts)
            buttons = self.modes.keyboard(rows[0][0], chat, context) if len(rows) == 1 else ()
        if len(text) > TELEGRAM_LIMIT:
            return False  # alerts joined into one message that would no longer fit
        if not await self._edited(message, text, buttons):
            return False
        recorded = await self.store.record_late_translation(
            texts, self.clock(), story=(story, text) if story is not None else None)
        return True if recorded else None

    async def _edited(self, message: _Message, text: str, buttons: Keyboard) -> bool:
        """Whether the message shows `text` now (the sender counts a repeated edit after a crash as done)."""
        try:
            await edit_in_place(self.sender, message.chat_id, message.message_id, text, buttons)
        except EditRefused as refused:
            log.info("alert %s in chat %s cannot be edited any more (%s): its translation is dropped",
                     message.message_id, message.chat_id, refused)
            return False
        return True

    async def _drop(self, outbox_ids: list[int], report: LateTranslationReport) -> None:
        await self.store.forget_untranslated(outbox_ids)
        report.dropped += len(outbox_ids)


def _story_of(message: _Message, stories: dict[tuple[int, int], StoryMessage]) -> StoryMessage | None:
    """The chat's message for the story of the message's alerts, if they belong to one that has it."""
    for alert in message.alerts:
        if alert.story_id is not None and (alert.chat_id, alert.story_id) in stories:
            return stories[(alert.chat_id, alert.story_id)]
    return None


def _key(content: AlertContent) -> _Key:
    return (content.title, content.summary, content.lang, content.target)
