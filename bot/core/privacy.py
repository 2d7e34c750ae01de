"""What the bot keeps about one subscriber, as one value, and the JSON document `/export` sends them.

Pure: the store fills `SubscriberData`; `export_document` writes it. What `/forget` deletes is exactly
what this holds: the subscription and its settings, the keywords, the mutes, and the chat's alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.models import Concept, Subscriber

MAX_EXPORTED_ALERTS = 1000


@dataclass(frozen=True)
class KeptKeyword:
    """A keyword the subscriber follows."""

    concept: Concept
    urgent: bool


@dataclass(frozen=True)
class KeptMute:
    """A mute set from the buttons under an alert."""

    kind: str
    value: str
    until: datetime


@dataclass(frozen=True)
class KeptAlert:
    """One alert queued for the chat (the item's link, not the text: the text is the news item's)."""

    created_at: datetime
    status: str
    keyword: str
    link: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class SubscriberData:
    """Everything stored about one chat."""

    subscriber: Subscriber
    keywords: list[KeptKeyword]
    mutes: list[KeptMute]
    alerts: list[KeptAlert]
    """The newest MAX_EXPORTED_ALERTS."""
    alerts_total: int


def export_document(data: SubscriberData, now: datetime) -> bytes:
    """The subscriber's data as an indented UTF-8 JSON document."""
    s = data.subscriber
    document: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "chat_id": s.chat_id,
        "subscribed": s.active,
        "alert_language": s.language,
        "interface_language": s.interface_language,
        "time_zone": s.time_zone or "UTC",
        "quiet_hours": None if s.quiet_start is None or s.quiet_end is None else {
            "start": _clock(s.quiet_start), "end": _clock(s.quiet_end), "mode": s.quiet_mode},
        "digest": s.digest_mode,
        "keywords": [{"urgent": k.urgent, **k.concept.to_dict()} for k in data.keywords],
        "mutes": [{"kind": m.kind, "value": m.value, "until": m.until.isoformat()} for m in data.mutes],
        "alerts_total": data.alerts_total,
        "alerts": [{"created_at": a.created_at.isoformat(), "status": a.status, "keyword": a.keyword,
                    "link": a.link, "sent_at": a.sent_at.isoformat() if a.sent_at else None}
                   for a in data.alerts],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
