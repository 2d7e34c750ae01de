"""/latest: the newest stored stories that match a subscriber's keywords, and how they are shown.

A new subscriber gets no alert until something new is published; /latest fills the empty chat with
what the bot already saw in the last hours, one line per story (the reports the scan put in one story,
bot/core/stories/clustering.py) with every source that reported it; entries without a story are grouped
by link, else by title. Pure: the entries come in newest first, time is passed in.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.interface.formatting import TELEGRAM_LIMIT, shorten
from bot.core.interface.i18n import Texts
from bot.core.matching.matcher import Matcher, entry_text

MAX_LATEST_TITLE = 250
MAX_SOURCES = 4
"""Sources named per story; the rest are counted."""


@dataclass(frozen=True)
class StoredEntry:
    """An entry the bot has seen, with the name of its feed; `at` is when it was published (or first seen)."""

    id: int
    feed: str
    title: str
    summary: str
    link: str | None
    lang: str | None
    at: datetime
    story_id: int | None = None


@dataclass(frozen=True)
class LatestItem:
    """A story that matches: its newest matching entry, the labels of the keywords it matches, its age,
    and the names of every feed that reported it (newest first)."""

    entry: StoredEntry
    keywords: tuple[str, ...]
    age: timedelta
    sources: tuple[str, ...] = ()


def _story_key(entry: StoredEntry) -> tuple[str, object]:
    if entry.story_id is not None:
        return ("story", entry.story_id)
    return ("link", entry.link) if entry.link else ("title", entry.title.casefold())


def pick_latest(entries: Iterable[StoredEntry], matcher: Matcher, now: datetime, limit: int) -> list[LatestItem]:
    """The first `limit` stories of `entries` (newest first) that match, each with all its sources."""
    stories: dict[tuple[str, object], list[StoredEntry]] = {}
    for entry in entries:
        stories.setdefault(_story_key(entry), []).append(entry)
    picked: list[LatestItem] = []
    for reports in stories.values():
        for entry in reports:
            matches = matcher.match(entry_text(entry.title, entry.summary), entry.lang)
            if matches:
                labels = tuple(dict.fromkeys(m.concept.label for m in matches))
                sources = tuple(dict.fromkeys(report.feed for report in reports))
                picked.append(LatestItem(entry, labels, max(now - entry.at, timedelta(0)), sources))
                break
        if len(picked) >= limit:
            break
    return picked


def _sources(item: LatestItem) -> str:
    names = list(item.sources or (item.entry.feed,))
    shown = ", ".join(shorten(name, 60) for name in names[:MAX_SOURCES])
    return shown + (f" +{len(names) - MAX_SOURCES}" if len(names) > MAX_SOURCES else "")


def age_text(age: timedelta, t: Texts) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago", in the interface language."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return t.gettext("just now")
    if minutes < 60:
        return t.ngettext("{count} minute ago", "{count} minutes ago", minutes)
    if minutes < 48 * 60:
        return t.ngettext("{count} hour ago", "{count} hours ago", minutes // 60)
    return t.ngettext("{count} day ago", "{count} days ago", minutes // (24 * 60))


def render_latest(items: list[LatestItem], window: timedelta, t: Texts) -> str:
    """The HTML reply to /latest: a header, then each item's title, source, age, keywords and link."""
    hours = max(1, round(window.total_seconds() / 3600))
    if not items:
        return t.layout(html.escape(t.ngettext(
            "Nothing matched your keywords in the last {count} hour.",
            "Nothing matched your keywords in the last {count} hours.", hours)))
    header = html.escape(t.ngettext("The latest news for your keywords (last {count} hour):",
                                    "The latest news for your keywords (last {count} hours):", hours))
    blocks = [f"<b>{header}</b>"]
    for number, item in enumerate(items, start=1):
        entry = item.entry
        title = t.isolate(html.escape(shorten(entry.title, MAX_LATEST_TITLE)))
        details = " · ".join([t.isolate(html.escape(_sources(item))), html.escape(age_text(item.age, t)),
                              t.isolate(html.escape(shorten(", ".join(item.keywords), 120)))])
        lines = [f"{number}. <b>{title}</b>", details]
        if entry.link:
            link = shorten(entry.link, 500)
            lines.append(t.ltr(f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>'))
        block = "\n".join(lines)
        if len(t.layout("\n\n".join([*blocks, block]))) > TELEGRAM_LIMIT:
            break  # whole items only: a cut would break the HTML
        blocks.append(block)
    return t.layout("\n\n".join(blocks))
