"""Feed parsing: RSS/Atom bytes to `ParsedEntry` values, with plain text and stable identities.

feedparser only ever sees the response BYTES (wrapped in a file object, so a string can never
be mistaken for a URL or a path and trigger I/O) plus the response's Content-Type, so that
declared charsets (header or XML prolog) are honoured. feedparser strips DOCTYPE entity
declarations it does not consider safe, which defuses "billion laughs" entity bombs; a
malformed feed falls back to its lenient parser and whatever it recovers is returned with a
warning. Parsing is CPU-bound and synchronous; callers in async code may run it in a thread.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.core.html import strip_html
from bot.core.identity import entry_identity
from bot.core.models import ParsedEntry
from bot.errors import FeedParseError

__all__ = ["MAX_SUMMARY_CHARS", "MAX_TITLE_CHARS", "ParsedFeed", "language_code", "parse_feed"]

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 5_000
"""Plain-text title and summary are cut to these lengths (full-text feeds put whole articles here)."""

_THREE_LETTER = {"ara": "ar", "tur": "tr", "rus": "ru", "eng": "en"}
_LANG_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_].*)?$")


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title, declared language, entries and any recoverable problem."""

    title: str
    lang: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str | None = None


def language_code(value: object) -> str | None:
    """Reduce a declared language ("ar-SY", "en_US", "RU", "tur") to a lower-case 2-letter code."""
    if not isinstance(value, str):
        return None
    match = _LANG_TAG.match(value)
    if not match:
        return None
    code = match.group(1).lower()
    if len(code) == 3:
        return _THREE_LETTER.get(code)
    return code


def _headers(content_type: str | None) -> dict[str, str]:
    # No Content-Location on purpose: feedparser would then resolve relative *guids* against the
    # feed URL too, and an entry's identity would change whenever the feed moves. Links are
    # resolved against `url` here instead (xml:base declared in the feed is still honoured).
    ctype = (content_type or "").strip() or "application/xml"
    # RFC 7303: without a charset parameter, text/xml is decoded by its XML prolog like
    # application/xml (feedparser still follows the older RFC 3023 us-ascii default).
    if ctype.lower().split(";")[0].strip() == "text/xml" and "charset" not in ctype.lower():
        ctype = "application/xml"
    return {"content-type": ctype}


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip() + "…"


def _text(value: Any) -> str:
    return strip_html(value) if isinstance(value, str) else ""


def _summary(entry: Any) -> str:
    summary = _text(entry.get("summary") or entry.get("description"))
    if summary:
        return summary
    for content in entry.get("content") or ():
        text = _text(content.get("value"))
        if text:
            return text
    return ""


def _link(entry: Any, guid: str | None, base_url: str) -> str | None:
    link = entry.get("link")
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    # feedparser copies a permalink-by-default RSS guid into `link`; "12345" is not a link.
    if guid is not None and link == guid and urlsplit(link).scheme not in ("http", "https"):
        return None
    try:
        absolute = urljoin(base_url, link)
    except ValueError:
        return None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, struct_time | tuple) and len(value) >= 6:
            try:
                year, month, day, hour, minute, second = (int(part) for part in value[:6])
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)  # already UTC
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _entry_lang(entry: Any, feed_lang: str | None) -> str | None:
    for candidate in (
        entry.get("language"),
        (entry.get("title_detail") or {}).get("language"),
        (entry.get("summary_detail") or {}).get("language"),
    ):
        code = language_code(candidate)
        if code:
            return code
    return feed_lang


def _warning(result: Any) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    message = f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
    return _clip(" ".join(message.split()), 300)


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body fetched from `url` (used to resolve relative links).

    Raises `FeedParseError` when the body is not a feed (nothing recovered: no entries and no feed
    title). A malformed feed with recoverable entries returns them with `warning` set. Entries
    without any title, summary, link or guid are skipped, as are repeated identities.
    """
    if not body or not body.strip():
        raise FeedParseError("empty body")
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=_headers(content_type),
            resolve_relative_uris=True,
            sanitize_html=True,
        )
    except Exception as exc:  # feedparser is lenient, but the input is hostile
        raise FeedParseError(f"feed could not be parsed: {type(exc).__name__}: {exc}") from exc

    feed = result.get("feed") or {}
    title = _clip(_text(feed.get("title")), MAX_TITLE_CHARS)
    raw_entries = result.get("entries") or []
    if not raw_entries and (not title or not result.get("version")):
        reason = _warning(result) or "no feed title and no entries"
        raise FeedParseError(f"not a feed: {reason}")

    feed_lang = language_code(feed.get("language")) or language_code(
        (feed.get("title_detail") or {}).get("language")
    )
    entries: list[ParsedEntry] = []
    seen: set[str] = set()
    for entry in raw_entries:
        guid_value = entry.get("id")
        guid = guid_value.strip() if isinstance(guid_value, str) and guid_value.strip() else None
        link = _link(entry, guid, url)
        entry_title = _clip(_text(entry.get("title")), MAX_TITLE_CHARS)
        summary = _clip(_summary(entry), MAX_SUMMARY_CHARS)
        if not (guid or link or entry_title or summary):
            continue
        identity = entry_identity(guid, link, entry_title, summary)
        if identity in seen:
            continue
        seen.add(identity)
        entries.append(
            ParsedEntry(
                identity=identity,
                title=entry_title,
                summary=summary,
                link=link,
                guid=guid,
                published_at=_published(entry),
                lang=_entry_lang(entry, feed_lang),
            )
        )
    return ParsedFeed(title=title, lang=feed_lang, entries=entries, warning=_warning(result))
