"""Stories in storage: assigning matched entries to stories, and the messages that carry story alerts.

A mixin over `StoreBase`, combined into `Storage` (bot/adapters/storage/database.py). `assign_stories` runs
inside the transaction that stores a feed's new entries (`FeedStore.store_fetch_result`): it reads only
the stories still open (`first_published` in the window, indexed), lets the `StoryClustering` port decide,
and writes the stories and each entry's `story_id` before the entry's outbox rows. On PostgreSQL it first
takes a transaction-scoped advisory lock, so two workers scanning one event at once never make two
stories of it (on SQLite the scan's writes already queue one at a time, see `StoreBase._claiming`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.adapters.storage.base_store import StoreBase
from bot.core.models import StoryMessage
from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord
from bot.core.stories.policy import StoryClustering
from bot.core.stories.sources import site_of
from bot.core.stories.story_alert import StoryReport

_STORY_LOCK = 0x570_21E5
"""Advisory lock key serialising story assignment across workers (PostgreSQL)."""


def _loaded(text: str | None) -> Any:
    """Stored JSON, or None when it cannot be read (a damaged row weakens one story, never stops a scan)."""
    try:
        return json.loads(text or "null")
    except ValueError:
        return None


def _strings(text: str | None) -> frozenset[str]:
    value = _loaded(text)
    return frozenset(str(item) for item in value) if isinstance(value, list) else frozenset()


def _record(row: Any) -> StoryRecord:
    features = _loaded(row.features)
    return StoryRecord(story_id=row.id, first_published=row.first_published, last_published=row.last_published,
                       features=StoryFeatures.from_json(features if isinstance(features, dict) else {}),
                       sources=_strings(row.sources), languages=_strings(row.languages))


def _story_values(story: StoryRecord, now: datetime) -> dict[str, Any]:
    return {"first_published": story.first_published, "last_published": story.last_published,
            "features": json.dumps(story.features.to_json(), ensure_ascii=False, sort_keys=True),
            "sources": json.dumps(sorted(story.sources)), "languages": json.dumps(sorted(story.languages)),
            "updated_at": now}


class StoryStore(StoreBase):
    """Stories, each entry's story, and each chat's message for a story."""

    async def assign_stories(self, conn: AsyncConnection, reports: Mapping[int, Report],
                             clustering: StoryClustering, now: datetime) -> dict[int, int]:
        """Put each new entry (by entry id) in a story, in order of publication; returns {entry id: story id}."""
        if not reports:
            return {}
        if self._pg:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STORY_LOCK})
        st = db.stories
        since = clustering.open_since(min(report.published for report in reports.values()))
        rows = await conn.execute(select(st).where(st.c.first_published >= since))
        open_stories = {row.id: _record(row) for row in rows}
        changed: set[int] = set()
        assigned: dict[int, int] = {}
        for entry_id, report in sorted(reports.items(), key=lambda item: (item[1].published, item[0])):
            features = clustering.features(report)
            chosen = clustering.choose(report, features, list(open_stories.values()))
            if chosen is None or chosen not in open_stories:
                story = StoryRecord(0, report.published, report.published, features, frozenset({report.source}),
                                    frozenset({report.lang}))
                values = {**_story_values(story, now), "reports": 1, "created_at": now}
                chosen = int((await conn.execute(st.insert().values(values).returning(st.c.id))).scalar_one())
                open_stories[chosen] = dataclasses.replace(story, story_id=chosen)
            else:
                open_stories[chosen] = clustering.absorb(open_stories[chosen], report, features)
                changed.add(chosen)
            assigned[entry_id] = chosen
        for story_id in changed:
            count = sum(1 for chosen in assigned.values() if chosen == story_id)
            await conn.execute(update(st).where(st.c.id == story_id).values(
                reports=st.c.reports + count, **_story_values(open_stories[story_id], now)))
        e = db.entries
        for entry_id, story_id in assigned.items():
            await conn.execute(update(e).where(e.c.id == entry_id).values(story_id=story_id))
        return assigned

    async def open_stories(self, since: datetime) -> list[StoryRecord]:
        """Stories first reported at or after `since`, oldest first."""
        st = db.stories
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(st).where(st.c.first_published >= since).order_by(st.c.id))
            return [_record(row) for row in rows]

    async def story_reports(self, story_ids: Collection[int]) -> dict[int, list[StoryReport]]:
        """Every stored report of each story, with its feed's name, its site and language, oldest first."""
        ids = list(story_ids)
        if not ids:
            return {}
        e, f = db.entries, db.feeds
        query = (select(e.c.id, e.c.story_id, e.c.link, e.c.lang, e.c.published_at, e.c.created_at, f.c.name,
                        f.c.url, f.c.lang.label("feed_lang"))
                 .join(f, f.c.id == e.c.feed_id).where(e.c.story_id.in_(ids)).order_by(e.c.id))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        found: dict[int, list[StoryReport]] = {story_id: [] for story_id in ids}
        for row in rows:
            published = min(row.published_at or row.created_at, row.created_at)
            found[row.story_id].append(StoryReport(entry_id=row.id, source=row.name, site=site_of(row.link, row.url),
                                                   lang=row.lang or row.feed_lang, link=row.link,
                                                   published=published))
        return found

    async def story_messages(self, pairs: Collection[tuple[int, int]]) -> dict[tuple[int, int], StoryMessage]:
        """The stored message of each (chat id, story id) pair that has one."""
        if not pairs:
            return {}
        sm = db.story_messages
        chats = {chat_id for chat_id, _ in pairs}
        stories = {story_id for _, story_id in pairs}
        query = select(sm).where(sm.c.chat_id.in_(list(chats)), sm.c.story_id.in_(list(stories)))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        wanted = set(pairs)
        return {(row.chat_id, row.story_id): _message(row) for row in rows if (row.chat_id, row.story_id) in wanted}

    async def record_story_alert(self, outbox_ids: Sequence[int], message: StoryMessage, now: datetime) -> None:
        """Telegram accepted a story's alert (a first alert, an edit or a threaded reply): the rows it carried
        are sent and the chat's message for the story is `message`, in one transaction."""
        o, sm = db.outbox, db.story_messages
        values = {"message_id": message.message_id, "outbox_id": message.outbox_id, "text": message.text,
                  "base_text": message.base_text, "entry_ids": json.dumps(sorted(message.entry_ids)),
                  "editable": message.editable, "sent_at": message.sent_at, "updated_at": now}
        async with self._engine.begin() as conn:
            if outbox_ids:
                await conn.execute(update(o).where(o.c.id.in_(list(outbox_ids)), o.c.status == "pending").values(
                    status="sent", telegram_message_id=message.message_id, sent_at=now, leased_until=None,
                    leased_by=None))
            insert = self._insert(sm).values(chat_id=message.chat_id, story_id=message.story_id, **values)
            await conn.execute(insert.on_conflict_do_update(index_elements=["chat_id", "story_id"], set_=values))


def _message(row: Any) -> StoryMessage:
    return StoryMessage(chat_id=row.chat_id, story_id=row.story_id, message_id=row.message_id,
                        outbox_id=row.outbox_id, text=row.text, base_text=row.base_text,
                        entry_ids=frozenset(int(i) for i in _strings(row.entry_ids) if i.isdigit()),
                        editable=row.editable,
                        sent_at=row.sent_at)
