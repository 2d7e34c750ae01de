"""Each chat's preferences applied to the rows a drain claimed: mutes, urgent keywords, quiet hours, digests.

For every claimed row: a muted keyword or source cancels it (with the reason); otherwise
bot/core/delivery/quiet.py decides whether it goes now (perhaps silently) or waits for a digest. Rows that wait
are handed back to the outbox, due at their digest time; rows of a due digest are rendered as one
digest (bot/core/delivery/digest.py); the rest are grouped into alert messages as usual (bot/core/delivery/batching.py).

Rows of a story (bot/services/story_delivery.py): a story the chat already has an alert for updates that
alert (an edit makes no sound, so quiet hours do not hold it); a chat that asked for corroborated stories
gets no alert until a second independent source reported (urgent keywords excepted: those rows are
cancelled with the reason, and the second source's row brings the alert); a story's first rows to a chat
become one alert of their own with the story's sources.

Summary rows (over a scan cycle's per-chat alert cap, bot/core/delivery/alert_cap.py) meet the same mutes,
story updates, corroboration, quiet hours and digests; those left to send now become ONE summary message
(bot/core/delivery/digest.py `render_summary`) that carries them all.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.delivery.batching import Batch, batches_for_chat
from bot.core.delivery.digest import MAX_SUMMARY_STORIES, DigestItem, group_stories, render_digest, render_summary
from bot.core.delivery.quiet import DigestMode, Preferences, QuietHours, QuietMode, decide
from bot.core.interface.alert_buttons import Keyboard, alert_keyboard, shared_chat_keyboard
from bot.core.interface.formatting import Localizer
from bot.core.interface.i18n import Texts
from bot.core.models import ChatPreferences, OutboxMessage, RowContext
from bot.services.delivery_outcomes import DrainReport
from bot.services.ports import DeliveryModeStorage
from bot.services.story_delivery import StoryAlerts, StoryView, load_stories

log = logging.getLogger(__name__)


def time_zone(name: str | None) -> tzinfo:
    """The zone of an IANA name; UTC for None or a name this machine does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: using UTC", name)
        return UTC


def preferences(stored: ChatPreferences) -> Preferences:
    """The pure preferences of what storage holds (bad stored values fall back to the defaults)."""
    quiet = None
    if stored.quiet_start is not None and stored.quiet_end is not None:
        try:
            quiet = QuietHours(stored.quiet_start, stored.quiet_end)
        except ValueError:
            quiet = None
    modes = {m.value: m for m in QuietMode}
    digests = {m.value: m for m in DigestMode}
    return Preferences(zone=time_zone(stored.time_zone), quiet=quiet,
                       quiet_mode=modes.get(stored.quiet_mode, QuietMode.SILENT),
                       digest=digests.get(stored.digest_mode, DigestMode.OFF))


@dataclass(frozen=True)
class _Drain:
    """What one drain knows about its rows, shared by every chat's plan."""

    context: dict[int, RowContext]
    stories: StoryView
    now: datetime
    report: DrainReport


class DeliveryModes:
    """Turns claimed rows into the messages to send now, holding or cancelling the others."""

    def __init__(self, store: DeliveryModeStorage, localize: Localizer | None = None) -> None:
        self.store = store
        self.localize: Callable[[str], Texts] = localize or Texts

    async def plan(self, rows: Sequence[OutboxMessage], now: datetime, report: DrainReport) -> dict[int, list[Batch]]:
        """Every chat's batches to send now; what is held, muted or no longer wanted is counted in `report`."""
        by_chat: dict[int, list[OutboxMessage]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id].append(row)
        stored = await self.store.delivery_preferences(list(by_chat), now)
        context = await self.store.outbox_context([row.id for row in rows])
        stories = await load_stories(self.store, rows, context)
        plan: dict[int, list[Batch]] = {}
        for chat_id, chat_rows in by_chat.items():
            chat = stored.get(chat_id)
            if chat is None or not chat.active:  # it left while these were queued (a scan raced its /stop)
                await self.store.cancel([row.id for row in chat_rows], "subscriber no longer active")
                report.cancelled += len(chat_rows)
                continue
            batches, aside = await self._chat_plan(chat_id, chat_rows, chat, _Drain(context, stories, now, report))
            report.set_aside += aside
            if batches:
                plan[chat_id] = [dataclasses.replace(b, thread_id=chat.thread_id) for b in batches]
        return plan

    async def _chat_plan(self, chat_id: int, rows: list[OutboxMessage], chat: ChatPreferences,
                         drain: _Drain) -> tuple[list[Batch], int]:
        prefs = preferences(chat)
        context, now = drain.context, drain.now
        alerts: list[OutboxMessage] = []
        digest: list[OutboxMessage] = []
        summary: list[OutboxMessage] = []
        updates: dict[int, list[OutboxMessage]] = defaultdict(list)
        held: dict[datetime, list[int]] = defaultdict(list)
        muted: list[int] = []
        uncorroborated: list[int] = []
        silent = False
        for row in rows:
            where = context.get(row.id)
            urgent = row.keyword in chat.urgent
            if row.keyword in chat.muted_keywords or (where and where.feed_id in chat.muted_sources):
                muted.append(row.id)
            elif row.story_id is not None and drain.stories.previous(chat_id, row.story_id) is not None:
                updates[row.story_id].append(row)
            elif (row.story_id is not None and chat.corroborated_only and not urgent
                  and not drain.stories.corroborated(row.story_id)):
                uncorroborated.append(row.id)
            elif (decision := decide(prefs, now, urgent=urgent, held=row.digest)).hold_until is not None:
                held[decision.hold_until].append(row.id)
            else:
                silent = silent or decision.silent
                (digest if row.digest else summary if row.summary else alerts).append(row)
        if muted:
            await self.store.cancel(muted, "muted by the subscriber")
        if uncorroborated:
            await self.store.cancel(uncorroborated, "waiting for a second independent source")
        for until, ids in held.items():
            await self.store.hold_for_digest(ids, until)
        batches = await self._alert_batches(chat, alerts, updates, silent, drain)
        if digest:
            batches += await self._digest_batches(chat_id, digest, chat, context, silent)
        if summary:
            batches.append(await self._summary_batch(chat_id, summary, chat, context, silent))
        return batches, len(muted) + len(uncorroborated) + sum(len(ids) for ids in held.values())

    async def _alert_batches(self, chat: ChatPreferences, alerts: list[OutboxMessage],
                             updates: dict[int, list[OutboxMessage]], silent: bool, drain: _Drain) -> list[Batch]:
        """Plain alerts grouped as before, one alert per new story, one update per story already alerted."""
        def buttons(outbox_id: int) -> Keyboard:
            return self.keyboard(outbox_id, chat, drain.context)

        story_alerts = StoryAlerts(drain.stories, self.localize(chat.language), preferences(chat).zone, buttons)
        plain = [row for row in alerts if row.story_id is None]
        batches = [self._with_buttons(b, chat, drain.context) for b in batches_for_chat(plain, silent=silent)]
        firsts: dict[int, list[OutboxMessage]] = defaultdict(list)
        for row in alerts:
            if row.story_id is not None:
                firsts[row.story_id].append(row)
        batches += [story_alerts.first_alert(rows, silent) for rows in firsts.values()]
        for rows in updates.values():
            previous = drain.stories.previous(rows[0].chat_id, rows[0].story_id)
            assert previous is not None
            update = story_alerts.update(previous, rows)
            if update is None:  # every report is listed already: the rows are done
                await self.store.record_story_alert([row.id for row in rows], previous, drain.now)
                drain.report.sent += len(rows)
            else:
                batches.append(update)
        return sorted(batches, key=lambda batch: min(batch.outbox_ids, default=0))

    def keyboard(self, outbox_id: int, chat: ChatPreferences, context: dict[int, RowContext]) -> Keyboard:
        """The buttons under a single alert (links only in groups and channels); none without its context."""
        where = context.get(outbox_id)
        if where is None:
            return ()
        texts = self.localize(chat.interface_language or chat.language)
        keyboard = alert_keyboard(outbox_id, link=where.link, source=where.source, t=texts,
                                  translated=bool(where.lang) and where.lang != chat.language)
        return keyboard if chat.chat_type == "private" else shared_chat_keyboard(keyboard)

    def _with_buttons(self, batch: Batch, chat: ChatPreferences, context: dict[int, RowContext]) -> Batch:
        """A single alert gets its buttons (open, original or translation, mute); grouped ones do not."""
        if len(batch.outbox_ids) != 1 or batch.outbox_ids[0] not in context:
            return batch
        return dataclasses.replace(batch, buttons=self.keyboard(batch.outbox_ids[0], chat, context))

    async def _items(self, rows: list[OutboxMessage], chat: ChatPreferences, context: dict[int, RowContext],
                     translate_stories: int | None = None) -> list[DigestItem]:
        """The rows as digest items, titles translated into the chat's language (only those of the first
        `translate_stories` stories, when given: the others are only counted)."""
        found = [(DigestItem(title=where.title, source=where.source, link=where.link, story=row.story_id), where.lang)
                 for row in rows if (where := context.get(row.id)) is not None]
        items = [item for item, _ in found]
        shown = group_stories(items)[:translate_stories] if translate_stories is not None else None
        wanted = {id(item) for story in shown for item in story.items} if shown is not None else None
        for number, (item, lang) in enumerate(found):
            if lang and lang != chat.language and (wanted is None or id(item) in wanted):
                title = await self.store.get_translation(item.title, lang, chat.language) or item.title
                items[number] = dataclasses.replace(item, title=title)
        return items

    async def _summary_batch(self, chat_id: int, rows: list[OutboxMessage], chat: ChatPreferences,
                             context: dict[int, RowContext], silent: bool) -> Batch:
        """ONE message for the chat's rows over a cycle's alert cap, carrying them all; the latest rows (a feed's
        newest entries are stored last) are listed first."""
        items = await self._items(rows[::-1], chat, context, translate_stories=MAX_SUMMARY_STORIES)
        text = render_summary(items, self.localize(chat.interface_language or chat.language))
        return Batch(chat_id, tuple(row.id for row in rows), text, max(row.attempts for row in rows), silent)

    async def _digest_batches(self, chat_id: int, rows: list[OutboxMessage], chat: ChatPreferences,
                              context: dict[int, RowContext], silent: bool) -> list[Batch]:
        """The digest messages; every row rides on the last one, so a crash repeats rather than loses."""
        items = await self._items(rows, chat, context)
        texts = render_digest(items, self.localize(chat.interface_language or chat.language))
        ids = tuple(row.id for row in rows)
        attempts = max(row.attempts for row in rows)
        return [Batch(chat_id, ids if last else (), text, attempts, silent)
                for last, text in ((n == len(texts) - 1, text) for n, text in enumerate(texts))]
