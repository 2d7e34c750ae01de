"""Which story a new report joins: the pure decision the scan and `python -m bot eval-stories` share.

The contract the services rely on (keep the signatures; improve what is behind them):
- `Report`: one matched entry, as clustering sees it.
- `features_of(report)`: what clustering keeps of a report (JSON-able, stored with the story).
- `choose_story(report, features, open_stories)`: the id of the story the report joins, or None to start one.
- `absorb(story, report, features)`: the story after the report joined it.
- `open_since(now)`: stories whose first report is older than this are closed (`WINDOW`).

Conservative by design: a missed merge costs one extra message, a wrong merge hides an event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.core.matching.text import tokenize

WINDOW = timedelta(hours=36)
"""A story takes new reports for this long after its first report."""


@dataclass(frozen=True)
class Report:
    """One matched entry as clustering sees it; `pivot` is title and summary in the pivot language (English)."""

    key: str
    source: str
    lang: str
    published: datetime
    title: str
    summary: str = ""
    link: str = ""
    pivot: str | None = None


@dataclass(frozen=True)
class StoryFeatures:
    """What clustering keeps of a story's reports (JSON-able through to_json/from_json)."""

    links: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return {"links": sorted(self.links), "titles": sorted(self.titles)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryFeatures:
        """The features stored by to_json."""
        return cls(links=frozenset(data.get("links", ())), titles=frozenset(data.get("titles", ())))

    def merged(self, other: StoryFeatures) -> StoryFeatures:
        """Both sets of features together."""
        return StoryFeatures(self.links | other.links, self.titles | other.titles)


@dataclass(frozen=True)
class StoryRecord:
    """A story as stored: its id, the time span of its reports, its sources and languages, its features."""

    story_id: int
    first_published: datetime
    last_published: datetime
    features: StoryFeatures
    sources: frozenset[str] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)


def open_since(now: datetime) -> datetime:
    """Stories first reported before this no longer take reports."""
    return now - WINDOW


def _title_key(title: str) -> str:
    return " ".join(token.norm for token in tokenize(title))


def features_of(report: Report) -> StoryFeatures:
    """What clustering keeps of one report."""
    key = _title_key(report.title)
    return StoryFeatures(links=frozenset({report.link} if report.link else ()),
                         titles=frozenset({key} if key else ()))


def choose_story(report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None:
    """The story this report joins, or None to start a new one (same link or same title, within the window)."""
    for story in open_stories:
        if report.published - story.first_published > WINDOW:
            continue
        if features.links & story.features.links or features.titles & story.features.titles:
            return story.story_id
    return None


def absorb(story: StoryRecord, report: Report, features: StoryFeatures) -> StoryRecord:
    """The story after `report` joined it."""
    return replace(story, first_published=min(story.first_published, report.published),
                   last_published=max(story.last_published, report.published),
                   features=story.features.merged(features), sources=story.sources | {report.source},
                   languages=story.languages | {report.lang})
