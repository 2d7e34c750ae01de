"""The per-chat alert cap applied to a feed check's outbox rows, inside the transaction that writes them.

`FeedStore.store_fetch_result` calls `cap_rows` once the check's entries joined their stories and before
their outbox rows are inserted; what is summarised is decided by bot/core/delivery/alert_cap.py. Only the
chats that may go over their allowance cost queries: their urgent keywords, and which of the check's
stories they already have an alert for (a pending or sent row that is not itself summarised).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.adapters.storage import schema as db
from bot.core.delivery.alert_cap import AlertCap, Candidate

_CHUNK = 500


def _story(row: Mapping[str, Any]) -> Hashable:
    story_id = row.get("story_id")
    return ("story", story_id) if story_id is not None else ("entry", row["entry_id"])


async def _urgent(conn: AsyncConnection, chats: Collection[int]) -> dict[int, set[str]]:
    """Each chat's urgent keyword keys."""
    k = db.keywords
    found: dict[int, set[str]] = defaultdict(set)
    ids = sorted(chats)
    for start in range(0, len(ids), _CHUNK):
        query = select(k.c.chat_id, k.c.key).where(k.c.chat_id.in_(ids[start : start + _CHUNK]), k.c.urgent == true())
        for chat_id, key in await conn.execute(query):
            found[chat_id].add(key)
    return found


async def _known(conn: AsyncConnection, chats: Collection[int], stories: Collection[int]) -> set[tuple[int, int]]:
    """The (chat, story) pairs among `chats` and `stories` whose chat has an alert for the story, sent or due."""
    if not stories:
        return set()
    o = db.outbox
    found: set[tuple[int, int]] = set()
    ids = sorted(chats)
    for start in range(0, len(ids), _CHUNK):  # only these chats' rows: a story may have thousands of others
        query = select(o.c.chat_id, o.c.story_id).distinct().where(
            o.c.chat_id.in_(ids[start : start + _CHUNK]), o.c.story_id.in_(sorted(stories)),
            o.c.status.in_(["pending", "sent"]), o.c.summary.is_(False))
        found.update((chat_id, story_id) for chat_id, story_id in await conn.execute(query))
    return found


async def cap_rows(conn: AsyncConnection, rows: Sequence[dict[str, Any]], cap: AlertCap,
                   published: Mapping[int, datetime | None]) -> None:
    """Mark each outbox row dict (chat_id, entry_id, keyword, story_id, next_attempt_at) in place: `summary`
    for the rows over their chat's allowance, due at `cap.summary_at`. `published` is by entry id."""
    candidates = [Candidate(row["chat_id"], _story(row), published.get(row["entry_id"])) for row in rows]
    chats = cap.may_overflow(candidates)
    if chats:
        urgent = await _urgent(conn, chats)
        known = await _known(conn, chats, {row["story_id"] for row in rows
                                           if row["chat_id"] in chats and row.get("story_id") is not None})
        candidates = [dataclasses.replace(candidate, urgent=row["keyword"] in urgent.get(row["chat_id"], ()),
                                          known=(row["chat_id"], row.get("story_id")) in known)
                      for candidate, row in zip(candidates, rows, strict=True)]
    for row, summarised in zip(rows, cap.split(candidates), strict=True):
        row["summary"] = summarised
        if summarised:
            row["next_attempt_at"] = max(row["next_attempt_at"], cap.summary_at)
