"""Alerts that went out untranslated, and how their translation is added later by an edit.

When every translator failed, the alert is sent with the original text and a note (render_alert with
`translation_failed`), and its `AlertContent` is kept as JSON beside its outbox row. Once a translator
answers again, the alert is rendered anew with the translation and the chat's message edited in place,
as long as the story window lasts (Telegram refuses edits of messages older than 48 hours). Pure: time,
the content and the message's current rows are passed in.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.delivery.batching import SEPARATOR
from bot.core.interface.formatting import AlertContent

WINDOW = timedelta(hours=36)
"""How long an untranslated alert waits for its translation: the story window, well within Telegram's
48 hours for edits."""


@dataclass(frozen=True)
class UntranslatedAlert:
    """A sent alert whose translation failed, as storage lists it for repair."""

    outbox_id: int
    chat_id: int
    message_id: int
    """The Telegram message that carries it."""
    story_id: int | None
    content: str
    """`encode(AlertContent)`."""
    created_at: datetime


def encode(content: AlertContent) -> str:
    """The content as JSON, to store beside the outbox row."""
    return json.dumps(dataclasses.asdict(content), ensure_ascii=False, sort_keys=True)


def decode(text: str) -> AlertContent | None:
    """The stored content, or None when it cannot be read (a damaged row is dropped, never retried)."""
    try:
        data: Any = json.loads(text)
        fields = {field.name for field in dataclasses.fields(AlertContent)}
        if not isinstance(data, dict) or not set(data) <= fields:
            return None
        data["quotes"] = tuple(data.get("quotes") or ())
        content = AlertContent(**data)
    except (ValueError, TypeError):
        return None
    return content if isinstance(content.title, str) and isinstance(content.lang, str) else None


def translated(content: AlertContent, title: str, summary: str | None) -> AlertContent:
    """The content with its translation, no longer failed."""
    return dataclasses.replace(content, translated_title=title, translated_summary=summary or None,
                               translation_failed=False)


def still_waiting(created_at: datetime, now: datetime, window: timedelta = WINDOW) -> bool:
    """Whether an alert queued at `created_at` may still get its translation by an edit."""
    return now - created_at < window


def message_text(rows: list[tuple[int, str]], replaced: dict[int, str]) -> str:
    """The text of a message carrying `rows` ((outbox id, text), oldest first), as the sender joined
    them (bot/core/delivery/batching.py), with the alerts in `replaced` (by outbox id) rendered anew."""
    return SEPARATOR.join(replaced.get(outbox_id, text) for outbox_id, text in rows)
