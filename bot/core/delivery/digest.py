"""Digest messages: the alerts held for a subscriber, grouped by story, one line each with its links.

When several sources report the same event (same link, or titles that share most of their words after
normalisation), the digest shows it once, naming every source with its own link. The text is Telegram
HTML, split into messages under the 4096-character limit, in the subscriber's interface language.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.interface.formatting import pack_lines, shorten
from bot.core.interface.i18n import N_, Texts
from bot.core.matching.text import tokenize

SAME_STORY = 0.5
"""Share of the shorter title's words two titles must have in common to count as one story."""
MAX_TITLE = 200


@dataclass(frozen=True)
class DigestItem:
    """One held alert: its title (translated when there is a translation), source and link."""

    title: str
    source: str
    link: str | None


@dataclass
class Story:
    """Items that report the same event."""

    items: list[DigestItem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.items[0].title


def _words(title: str) -> set[str]:
    return {token.norm for token in tokenize(title) if len(token.norm) > 2}


def _same_story(a: DigestItem, b: DigestItem) -> bool:
    if a.link and a.link == b.link:
        return True
    words_a, words_b = _words(a.title), _words(b.title)
    if not words_a or not words_b:
        return False
    return len(words_a & words_b) >= SAME_STORY * min(len(words_a), len(words_b))


def group_stories(items: Sequence[DigestItem]) -> list[Story]:
    """Items grouped by story, stories in the order of their first item."""
    stories: list[Story] = []
    for item in items:
        story = next((s for s in stories if any(_same_story(item, other) for other in s.items)), None)
        if story is None:
            stories.append(Story([item]))
        else:
            story.items.append(item)
    return stories


def render_digest(items: Sequence[DigestItem], t: Texts) -> list[str]:
    """The digest as one or more HTML messages, each under Telegram's limit."""
    stories = group_stories(items)
    header = t.markup(N_("🗞 Digest. Reports: {count}, stories: {stories}"), count=len(items), stories=len(stories))
    lines = [_story_line(story, t) for story in stories]
    return [t.layout(message) for message in pack_lines([header, *lines], separator="\n\n")]


MAX_SOURCES_CHARS = 3_000
"""A story's source links stop here and the rest are counted ("+12"), so its line is never cut mid-tag."""


def _story_line(story: Story, t: Texts) -> str:
    title = t.isolate(html.escape(shorten(story.title, MAX_TITLE)))
    sources: list[str] = []
    used = 0
    for item in story.items:
        name = t.isolate(html.escape(shorten(item.source, 60)))
        source = f'<a href="{html.escape(shorten(item.link, 1000), quote=True)}">{name}</a>' if item.link else name
        if used + len(source) > MAX_SOURCES_CHARS:
            sources.append(f"+{len(story.items) - len(sources)}")
            break
        sources.append(source)
        used += len(source) + 3
    return f"• <b>{title}</b>\n   {' · '.join(sources)}"
