"""The scan's part in stories: each matched entry becomes a clustering `Report`, assigned in storage.

`StoryReports` turns a feed's entry into the `Report` that bot/core/stories/clustering.py decides on: its
source is the entry's site (so two feeds of one outlet are not independent, bot/core/stories/sources.py),
its pivot is title and summary in English through the translation service and its cache (None when no
translation can be had; English entries are their own pivot). `ClusteringRules` is the decision itself
behind the `StoryClustering` port, which storage runs inside the transaction that stores the entries
(bot/adapters/storage/story_store.py), so assignment and the alerts it shapes commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.models import Feed, ParsedEntry
from bot.core.stories import clustering
from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.policy import StoryClustering
from bot.core.stories.sources import site_of
from bot.services.translation import TranslationService

PIVOT = "en"
"""The language every report is compared in."""


class ClusteringRules:
    """The story decision of bot/core/stories/clustering.py, as the `StoryClustering` port; `places` is the
    gazetteer's index (built once; without it reports are compared without the places they name)."""

    def __init__(self, places: PlaceIndex | None = None) -> None:
        self.places = places

    def features(self, report: Report) -> StoryFeatures:
        """What the story keeps of the report."""
        return clustering.features_of(report, self.places)

    def choose(self, report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None:
        """The open story the report joins, or None to start one."""
        return clustering.choose_story(report, features, open_stories)

    def absorb(self, story: StoryRecord, report: Report, features: StoryFeatures) -> StoryRecord:
        """The story after the report joined it."""
        return clustering.absorb(story, report, features)

    def open_since(self, now: datetime) -> datetime:
        """Stories first reported before this take no more reports."""
        return clustering.open_since(now)


class StoryReports:
    """Builds the clustering view of matched entries, and carries the decision storage runs on them."""

    def __init__(self, translation: TranslationService, clustering: StoryClustering | None = None) -> None:
        self.translation = translation
        self.clustering: StoryClustering = clustering or ClusteringRules()

    async def report(self, feed: Feed, entry: ParsedEntry, now: datetime) -> Report:
        """The entry as clustering sees it; published at most `now` (a feed's future date is not trusted)."""
        lang = entry.lang or feed.lang
        published = min(entry.published_at or now, now)
        return Report(key=entry.identity, source=site_of(entry.link, feed.url), lang=lang, published=published,
                      title=entry.title, summary=entry.summary, link=entry.link or "",
                      pivot=await self._pivot(entry, lang))

    async def _pivot(self, entry: ParsedEntry, lang: str) -> str | None:
        if lang == PIVOT:
            return f"{entry.title}\n{entry.summary}".strip()
        title, summary = await self.translation.translate_pair(entry.title, entry.summary, lang, PIVOT)
        if title is None:
            return None
        return f"{title}\n{summary or ''}".strip()
