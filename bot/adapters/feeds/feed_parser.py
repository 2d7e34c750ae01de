"""Feed parsing: RSS/Atom bytes to `ParsedEntry` values, with plain text and stable identities.

feedparser only ever sees the response BYTES (wrapped in a file object, so a string can never
be mistaken for a URL or a path and trigger I/O), after `prepare_feed_bytes` has decided their
charset (declared or guessed) and re-encoded them as UTF-8 with a defused DOCTYPE (no external
entities, no entity bombs). A malformed feed falls back to feedparser's lenient parser and
whatever it recovers is returned with a warning. A guid that the feed repeats for a different
story (different link and title) within one document gets its own identity instead of hiding
the second story. Parsing is CPU-bound and synchronous; async callers may run it in a thread.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.adapters.feeds.feed_bytes import prepare_feed_bytes
from bot.core.feeds.fetched import ParsedFeed
from bot.core.feeds.html import strip_html, without_bidi_controls
from bot.core.feeds.identity import entry_identity, reused_guid_identity
from bot.core.feeds.novelty import KnownEntry, same_story
from bot.core.models import ParsedEntry
from bot.errors import FeedParseError

__all__ = ["MAX_SUMMARY_CHARS", "MAX_TITLE_CHARS", "ParsedFeed", "feed_ttl_seconds", "language_code", "parse_feed"]

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 5_000
"""Plain-text title and summary are cut to these lengths (full-text feeds put whole articles here)."""

_THREE_LETTER = {"ara": "ar", "tur": "tr", "rus": "ru", "eng": "en"}
_LANG_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_].*)?$")


_SY_PERIODS = {"hourly": 3600.0, "daily": 86400.0, "weekly": 604800.0, "monthly": 2629800.0, "yearly": 31557600.0}


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
    # The body is always UTF-8 by now (prepare_feed_bytes); only the media type is kept.
    media_type = (content_type or "").split(";")[0].strip() or "application/xml"
    return {"content-type": f"{media_type}; charset=utf-8"}


def _positive_number(value: object) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number < float("inf") else None


def feed_ttl_seconds(feed: Any) -> float | None:
    """The feed's own minimum refresh interval in seconds: RSS <ttl>, else sy:updatePeriod/Frequency."""
    minutes = _positive_number(feed.get("ttl"))
    if minutes is not None:
        return minutes * 60
    period = _SY_PERIODS.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period is None:
        return None
    frequency = _positive_number(feed.get("sy_updatefrequency") or 1)
    return period / frequency if frequency else None


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
    link = without_bidi_controls(link).strip()
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


MAX_UNTITLED_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?؟。](?=\s)")


def first_sentence(text: str, limit: int) -> str:
    """The first sentence of `text` (cut at `limit` characters): the title of an item that has none."""
    end = _SENTENCE_END.search(text, 0, limit)
    return text[: end.end()] if end else _clip(text, limit)


def _entries(raw_entries: list[Any], url: str, feed_lang: str | None) -> list[ParsedEntry]:
    """Parsed entries in document order; a repeated identity is dropped unless it is another story."""
    entries: dict[str, ParsedEntry] = {}
    for raw in raw_entries:
        guid_value = raw.get("id")
        guid = guid_value.strip() if isinstance(guid_value, str) and guid_value.strip() else None
        link = _link(raw, guid, url)
        title = _clip(_text(raw.get("title")), MAX_TITLE_CHARS)
        summary = _clip(_summary(raw), MAX_SUMMARY_CHARS)
        if not (guid or link or title or summary):
            continue
        identity = entry_identity(guid, link, title, summary)  # from the feed's own (empty) title: stable
        title = title or first_sentence(summary, MAX_UNTITLED_CHARS)
        entry = ParsedEntry(identity=identity, title=title, summary=summary,
                            link=link, guid=guid, published_at=_published(raw), lang=_entry_lang(raw, feed_lang))
        first = entries.get(entry.identity)
        if first is not None:
            if guid is None or link is None or same_story(KnownEntry(first.identity, first.link, first.title), entry):
                continue
            entry = dataclasses.replace(entry, identity=reused_guid_identity(guid, link))
        entries.setdefault(entry.identity, entry)
    return list(entries.values())


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body fetched from `url` (used to resolve relative links).

    Raises `FeedParseError` when the body is not a feed (nothing recovered: no entries and no feed
    title). A malformed feed with recoverable entries returns them with `warning` set (so does a
    charset that had to be guessed or overridden). Entries without any title, summary, link or
    guid are skipped, as are repeated identities (unless the feed reused a guid for another story).
    """
    if not body or not body.strip():
        raise FeedParseError("empty body")
    prepared = prepare_feed_bytes(body, content_type)
    try:
        result = feedparser.parse(
            io.BytesIO(prepared.body),
            response_headers=_headers(content_type),
            # Titles and summaries become plain text (strip_html), so feedparser's HTML rewriting is
            # wasted work (it halves parsing speed) and its sanitizer keeps text strip_html hides.
            resolve_relative_uris=False,
            sanitize_html=False,
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
    warning = "; ".join(filter(None, (prepared.note, _warning(result)))) or None
    return ParsedFeed(title=title, lang=feed_lang, entries=_entries(raw_entries, url, feed_lang), warning=warning,
                      ttl_seconds=feed_ttl_seconds(feed))
