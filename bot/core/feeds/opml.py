"""OPML subscription lists: the feeds written as OPML 2.0, and an OPML document read back into feeds.

OPML is what feed readers import and export. Each feed is an `<outline type="rss">` with `text`,
`title`, `xmlUrl` and `language`; folders (outlines inside outlines) are flattened. Reading is strict
about what it accepts and says why it skipped each outline (reasons are message ids, translated where
they are shown). A document with a DOCTYPE is refused outright: no entity tricks. Pure: bytes in, values
out; the size cap is MAX_OPML_BYTES.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from bot.core.interface.i18n import N_
from bot.core.models import LANGUAGES, FeedConfig

MAX_OPML_BYTES = 1_000_000
MAX_OPML_FEEDS = 500


class OpmlError(ValueError):
    """The document is not an OPML subscription list; `message` is a message id, `params` its values."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Skipped:
    """An outline that was not imported, and why (a message id and its values)."""

    label: str
    reason: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OpmlFeeds:
    """What an OPML document holds: the feeds it names, and the outlines that could not be used."""

    feeds: list[FeedConfig]
    skipped: list[Skipped]


def render_opml(feeds: Sequence[FeedConfig], title: str, now: datetime) -> bytes:
    """An OPML 2.0 document listing `feeds`, in their order."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(body, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url,
                      language=feed.lang)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def parse_opml(document: bytes, default_lang: str | None = None) -> OpmlFeeds:
    """The feeds of an OPML document; an outline without a usable language takes `default_lang`."""
    if len(document) > MAX_OPML_BYTES:
        raise OpmlError(N_("The file is larger than {limit} kB."), limit=str(MAX_OPML_BYTES // 1000))
    if b"<!DOCTYPE" in document.upper():
        raise OpmlError(N_("The file declares a DOCTYPE, which OPML never needs."))
    try:
        root = ET.fromstring(document)
    except ET.ParseError as error:
        raise OpmlError(N_("The file is not valid XML ({error})."), error=str(error)) from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError(N_("The file is not an OPML document (no <opml> with a <body>)."))
    feeds: list[FeedConfig] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for outline in body.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url:
            continue  # a folder or a plain note, not a feed
        label = (outline.get("title") or outline.get("text") or url).strip()[:100] or url
        verdict = _feed(label, url, outline.get("language"), default_lang, seen, len(feeds))
        if isinstance(verdict, Skipped):
            skipped.append(verdict)
            continue
        seen.add(url)
        feeds.append(verdict)
    return OpmlFeeds(feeds, skipped)


def _feed(label: str, url: str, declared: str | None, default_lang: str | None, seen: set[str],
          count: int) -> FeedConfig | Skipped:
    """The outline as a feed, or why it cannot be imported."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return Skipped(label, N_("not an http(s) address"))
    if url in seen:
        return Skipped(label, N_("listed twice"))
    if count >= MAX_OPML_FEEDS:
        return Skipped(label, N_("more than {limit} feeds in one file"), {"limit": str(MAX_OPML_FEEDS)})
    lang = language_code(declared) or default_lang
    if lang is None:
        return Skipped(label, N_("no language: add language=\"ar\" (or tr, ru, en), or send /import <lang>"))
    if lang not in LANGUAGES:
        return Skipped(label, N_("language {lang} is not ar, tr, ru or en"), {"lang": lang})
    return FeedConfig(name=label, url=url, lang=lang)


def language_code(value: str | None) -> str | None:
    """"ar-SY", "en_US", "RU" -> "ar", "en", "ru"; None when absent."""
    if not value or not value.strip():
        return None
    return value.strip().lower().replace("_", "-").split("-")[0]
