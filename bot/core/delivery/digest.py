"""Digest messages: the alerts held for a subscriber, grouped by story, one line each with its links.

Reports of one event share a story (bot/core/stories/clustering.py decided it when they were scanned);
the digest shows each story once, naming every source with its own link. Items without a story (queued
before stories existed) are grouped by link only. The text is Telegram HTML, split into messages under
the 4096-character limit, in the subscriber's interface language.

A summary (`render_summary`) is the digest of the alerts over a scan cycle's per-chat cap
(bot/core/delivery/alert_cap.py): always ONE message, listing as many stories as fit and counting the rest.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.interface.formatting import TELEGRAM_LIMIT, fit, pack_lines, shorten
from bot.core.interface.i18n import N_, Texts

MAX_TITLE = 200


@dataclass(frozen=True)
class DigestItem:
    """One held alert: its title (translated when there is a translation), source and link."""

    title: str
    source: str
    link: str | None
    story: int | None = None
    """The story the report joined (None: none recorded)."""


@dataclass
class Story:
    """Items that report the same event."""

    items: list[DigestItem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.items[0].title


def _story_key(item: DigestItem, position: int) -> tuple[str, object]:
    if item.story is not None:
        return ("story", item.story)
    if item.link:
        return ("link", item.link)
    return ("item", position)


def group_stories(items: Sequence[DigestItem]) -> list[Story]:
    """Items grouped by story, stories in the order of their first item."""
    stories: dict[tuple[str, object], Story] = {}
    for position, item in enumerate(items):
        stories.setdefault(_story_key(item, position), Story()).items.append(item)
    return list(stories.values())


def render_digest(items: Sequence[DigestItem], t: Texts) -> list[str]:
    """The digest as one or more HTML messages, each under Telegram's limit."""
    stories = group_stories(items)
    header = t.markup(N_("🗞 Digest. Reports: {count}, stories: {stories}"), count=len(items), stories=len(stories))
    lines = [_story_line(story, t) for story in stories]
    return [t.layout(message) for message in pack_lines([header, *lines], separator="\n\n")]


MAX_SOURCES_CHARS = 3_000
"""A story's source links stop here and the rest are counted ("+12"), so its line is never cut mid-tag."""
MAX_SUMMARY_STORIES = 40
"""Stories a summary lists by title; the others are counted (about that many lines fit in one message)."""
SUMMARY_SOURCES_CHARS = 600
"""A summary's story lists fewer source links, so that more stories fit."""


def render_summary(items: Sequence[DigestItem], t: Texts, limit: int = TELEGRAM_LIMIT) -> str:
    """The reports over a scan cycle's alert cap as ONE HTML message of at most `limit` characters: how many
    reports and stories, then as many stories as fit (at most MAX_SUMMARY_STORIES), then how many are left."""
    stories = group_stories(items)
    lines = [t.markup(N_("🗞 Too many reports at once to alert one by one. Reports: {count}, stories: {stories}"),
                      count=len(items), stories=len(stories))]

    def rest(listed: int) -> list[str]:
        left = len(stories) - listed
        return [t.markup(N_("… and more stories: {count}"), count=left)] if left else []

    for listed, story in enumerate(stories[:MAX_SUMMARY_STORIES], start=1):
        line = _story_line(story, t, SUMMARY_SOURCES_CHARS)
        if len(t.layout("\n\n".join([*lines, line, *rest(listed)]))) > limit:
            break
        lines.append(line)
    return fit(t.layout("\n\n".join([*lines, *rest(len(lines) - 1)])), limit)


def _story_line(story: Story, t: Texts, max_sources_chars: int = MAX_SOURCES_CHARS) -> str:
    title = t.isolate(html.escape(shorten(story.title, MAX_TITLE)))
    sources: list[str] = []
    used = 0
    for item in story.items:
        name = t.isolate(html.escape(shorten(item.source, 60)))
        source = f'<a href="{html.escape(shorten(item.link, 1000), quote=True)}">{name}</a>' if item.link else name
        if used + len(source) > max_sources_chars:
            sources.append(f"+{len(story.items) - len(sources)}")
            break
        sources.append(source)
        used += len(source) + 3
    return f"• <b>{title}</b>\n   {' · '.join(sources)}"
