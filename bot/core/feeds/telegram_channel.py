"""Public Telegram channels as sources: names, addresses, posts as entries, and when to page back.

A public channel `name` has a web preview at https://t.me/s/<name> listing its newest posts (about
twenty), with a link to older ones. A channel source is stored as a feed whose URL is that preview
address; its cursor, kept where RSS feeds keep their ETag, is the id of the newest post seen. Posts
become `ParsedEntry` values: the post id is the identity, the first line or sentence the title (posts
have no title of their own), the whole text (forwarded-from and captions included) the summary, so
matching and story clustering see everything. Standard library only, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bot.core.models import ParsedEntry

__all__ = ["ChannelPost", "channel_feed_url", "channel_name", "headline", "needs_older_page", "parse_cursor",
           "post_entry", "post_link"]

CHANNEL_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me", "telegram.dog"})
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
"""A public username: a letter, then letters, digits or underscores, 4 to 32 characters in all."""
_RESERVED = frozenset({"s", "joinchat", "addstickers", "share", "proxy", "socks", "iv", "login", "c"})
HEADLINE_CHARS = 160
"""Longest title made from a post's first line or sentence."""
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")


@dataclass(frozen=True)
class ChannelPost:
    """One post of a channel's preview page: its text is the message text and media captions."""

    channel: str
    post_id: int
    text: str
    published_at: datetime | None = None
    forwarded_from: str | None = None
    edited: bool = False


def channel_name(text: str) -> str | None:
    """The channel username in `@name`, `t.me/name`, `https://t.me/s/name` or a post link; else None."""
    value = text.strip()
    if value.startswith("@"):
        candidate = value[1:]
    else:
        parts = urlsplit(value if "://" in value else f"https://{value}")
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in CHANNEL_HOSTS:
            return None
        path = [segment for segment in parts.path.split("/") if segment]
        if path[:1] == ["s"]:
            path = path[1:]
        if not path or path[0].lower() in _RESERVED:
            return None
        candidate = path[0]
    return candidate if _NAME.fullmatch(candidate) else None


def channel_feed_url(name: str) -> str:
    """The address a channel source is stored under: its web preview on t.me."""
    return f"https://t.me/s/{name}"


def post_link(channel: str, post_id: int) -> str:
    """The public link of one post."""
    return f"https://t.me/{channel}/{post_id}"


def headline(text: str, limit: int = HEADLINE_CHARS) -> str:
    """The first non-empty line; if longer than `limit`, its first sentence; cut at a word if still too long."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) <= limit:
        return line
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit - 1].rsplit(" ", 1)[0] or sentence[:limit - 1]
    return cut.rstrip() + "…"


def post_summary(post: ChannelPost, title: str) -> str:
    """What follows the title in the post (all of it when the title was cut), after where it was forwarded
    from: title and summary together are the whole post."""
    text = post.text.strip()
    rest = text[len(title):].strip() if title and text.startswith(title) else text
    if post.forwarded_from:
        return f"Forwarded from {post.forwarded_from}\n{rest}".strip()
    return rest


def needs_older_page(post_ids: Sequence[int], last_seen: int | None) -> bool:
    """Whether posts newer than `last_seen` may sit on an older page (never on a first read)."""
    return last_seen is not None and bool(post_ids) and min(post_ids) > last_seen + 1


def parse_cursor(value: str | None) -> int | None:
    """The newest post id seen, as stored; None when absent or damaged (the next read starts afresh)."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def post_identity(post: ChannelPost) -> str:
    """Identity of a post within its channel: edits keep it, so an edited post is never alerted twice."""
    return f"tg:{post.channel.lower()}/{post.post_id}"


def post_entry(post: ChannelPost) -> ParsedEntry:
    """The entry a post becomes (a post without any text gets its link as title, so it is never blank)."""
    link = post_link(post.channel, post.post_id)
    title = headline(post.text)
    return ParsedEntry(identity=post_identity(post), title=title or post.forwarded_from or link,
                       summary=post_summary(post, title), link=link, guid=link, published_at=post.published_at)
