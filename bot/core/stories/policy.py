"""The story decision as an object: what storage runs, under its lock, to put a report in a story.

bot/services/stories.py implements it over bot/core/stories/clustering.py; tests pass their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord


class StoryClustering(Protocol):
    """Which story a report joins."""

    def features(self, report: Report) -> StoryFeatures: ...
    def choose(self, report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None: ...
    def absorb(self, story: StoryRecord, report: Report, features: StoryFeatures) -> StoryRecord: ...
    def open_since(self, now: datetime) -> datetime: ...
