"""Parsing a public Telegram channel's web preview (https://t.me/s/<name>) into posts, with lxml.

The page is untrusted HTML: it is parsed by lxml's HTML parser (no network, no entities resolved, no
huge trees), read by class names only, never by regular expressions over the markup. What we rely on:
each post is an element of class ``tgme_widget_message`` whose ``data-post`` is ``<channel>/<id>``; its
text and media captions are ``tgme_widget_message_text`` elements (those inside a quoted reply belong
to the other message and are skipped); ``tgme_widget_message_forwarded_from_name`` names where it was
forwarded from; the ``datetime`` of the ``time`` in ``tgme_widget_message_date`` is its date; a meta
line reading "edited" marks an edit; deleted posts are simply absent. The ``tme_messages_more`` link's
``data-before`` pages back. A page without a ``tgme_channel_history`` is not a public channel preview:
a private channel, a user or a group shows a ``tgme_page_title`` without history, a name that does not
exist shows neither.
"""

from __future__ import annotations

import enum
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree, html

from bot.core.feeds.telegram_channel import ChannelPost
from bot.errors import FeedParseError

__all__ = ["PageKind", "PreviewPage", "parse_preview"]

MAX_POST_CHARS = 5_000
"""A post's text is cut to this length (Telegram allows 4096 characters, captions 1024)."""


class PageKind(enum.Enum):
    """What the preview address showed."""

    CHANNEL = "channel"
    NO_PREVIEW = "no public preview"  # a private channel, a user or a group
    NOT_FOUND = "no such channel"


@dataclass(frozen=True)
class PreviewPage:
    """One page of a channel preview: its posts, oldest first, and the id to ask for older ones."""

    kind: PageKind
    posts: list[ChannelPost] = field(default_factory=list)
    before: int | None = None


def _class(name: str) -> str:
    """An XPath test for an element carrying the CSS class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _find(element: html.HtmlElement, query: str) -> list[html.HtmlElement]:
    """The elements an XPath query selects."""
    found = element.xpath(query)
    return [item for item in found if isinstance(item, html.HtmlElement)] if isinstance(found, list) else []


def _values(element: html.HtmlElement, query: str) -> list[str]:
    """The attribute values an XPath query selects, stripped."""
    found = element.xpath(query)
    return [str(item).strip() for item in found if isinstance(item, str)] if isinstance(found, list) else []


def _text(element: html.HtmlElement) -> str:
    """The element's visible text, line breaks kept (a copy is changed, never the page)."""
    copy = deepcopy(element)
    for br in copy.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (" ".join(line.split()) for line in copy.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _date(post: html.HtmlElement) -> datetime | None:
    stamps = _values(post, f".//*[{_class('tgme_widget_message_date')}]//time/@datetime")
    if not stamps:
        return None
    try:
        parsed = datetime.fromisoformat(stamps[0])
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _post(element: html.HtmlElement) -> ChannelPost | None:
    channel, _, number = str(element.get("data-post", "")).partition("/")
    if not channel or not number.isdigit():
        return None
    outside_reply = f"not(ancestor::*[{_class('tgme_widget_message_reply')}])"
    texts = [_text(part) for part in _find(element, f".//*[{_class('tgme_widget_message_text')}][{outside_reply}]")]
    forwarded = _find(element, f".//*[{_class('tgme_widget_message_forwarded_from_name')}]")
    meta = _find(element, f".//*[{_class('tgme_widget_message_meta')}]")
    return ChannelPost(
        channel=channel, post_id=int(number), text="\n\n".join(t for t in texts if t)[:MAX_POST_CHARS],
        published_at=_date(element), forwarded_from=(_text(forwarded[0])[:200] or None) if forwarded else None,
        edited=bool(meta) and "edited" in meta[0].text_content().lower(),
    )


def _before(root: html.HtmlElement) -> int | None:
    values = _values(root, f"//*[{_class('tme_messages_more')}]/@data-before")
    value = values[0] if values else ""
    return int(value) if value.isdigit() else None


def parse_preview(body: bytes) -> PreviewPage:
    """The posts of one preview page; FeedParseError when the bytes are not an HTML page at all."""
    parser = html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                             huge_tree=False)
    try:
        root = html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise FeedParseError(f"not an HTML page: {error}") from None
    if not _find(root, f"//*[{_class('tgme_channel_history')}]"):
        titled = _find(root, f"//*[{_class('tgme_page_title')}]")
        return PreviewPage(PageKind.NO_PREVIEW if titled else PageKind.NOT_FOUND)
    found = (_post(element) for element in _find(root, f"//*[{_class('tgme_widget_message')}][@data-post]"))
    posts = {post.post_id: post for post in found if post is not None}  # one entry per id, albums included
    return PreviewPage(PageKind.CHANNEL, sorted(posts.values(), key=lambda post: post.post_id), _before(root))
