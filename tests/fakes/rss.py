"""RSS 2.0 for the fake news sites: `FeedItem` (one ``<item>``) and `render_rss` (a whole document)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr


@dataclass
class FeedItem:
    """One RSS ``<item>``; ``guid`` defaults to the link, ``pub_date`` to the time it is published."""

    title: str
    link: str
    description: str = ""
    guid: str | None = None
    pub_date: datetime | str | None = None

    @classmethod
    def coerce(cls, item: FeedItem | Mapping[str, Any]) -> FeedItem:
        if isinstance(item, FeedItem):
            return item
        data = dict(item)
        if "pubDate" in data:
            data["pub_date"] = data.pop("pubDate")
        return cls(**data)


def _rfc822(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(UTC), usegmt=True)


def render_rss(title: str, lang: str, items: Iterable[FeedItem], link: str = "https://news.example",
               ttl: int | None = None) -> bytes:
    """An RSS 2.0 document (UTF-8) with the items in the given order (and a ``<ttl>`` in minutes, if given)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(link)}</link>",
        f"<description>{escape(title)}</description>",
        f"<language>{escape(lang)}</language>",
        *([f"<ttl>{ttl}</ttl>"] if ttl is not None else []),
    ]
    for item in items:
        guid = item.guid if item.guid is not None else item.link
        permalink = "true" if guid == item.link else "false"
        parts.extend(
            [
                "<item>",
                f"<title>{escape(item.title)}</title>",
                f"<link>{escape(item.link)}</link>",
                f"<description>{escape(item.description)}</description>",
                f"<guid isPermaLink={quoteattr(permalink)}>{escape(guid)}</guid>",
                f"<pubDate>{escape(_rfc822(item.pub_date or datetime.now(UTC)))}</pubDate>",
                "</item>",
            ]
        )
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts).encode("utf-8")
