"""Clustering a sequence of reports in order, as the scan would, keeping only open stories (pure).

`python -m bot eval-stories` and scripts/bench_stories.py use it to run the very code the scan runs
(`choose_story` and `absorb`) without a database: stories first reported more than `WINDOW` before the
report at hand are dropped, so memory holds only what is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bot.core.stories.clustering import Report, StoryRecord, absorb, choose_story, features_of, open_since
from bot.core.stories.place_index import PlaceIndex


@dataclass
class Replay:
    """Open stories so far; `assign` gives each report its story id (new ids count up from 1)."""

    places: PlaceIndex | None = None
    open_stories: dict[int, StoryRecord] = field(default_factory=dict)
    next_id: int = 1

    def assign(self, report: Report) -> int:
        """The id of the story `report` joins or starts."""
        horizon = open_since(report.published)
        for story_id in [key for key, story in self.open_stories.items() if story.first_published < horizon]:
            del self.open_stories[story_id]
        features = features_of(report, self.places)
        chosen = choose_story(report, features, list(self.open_stories.values()))
        if chosen is None:
            chosen, self.next_id = self.next_id, self.next_id + 1
            self.open_stories[chosen] = StoryRecord(chosen, report.published, report.published, features,
                                                    frozenset({report.source}), frozenset({report.lang}))
        else:
            self.open_stories[chosen] = absorb(self.open_stories[chosen], report, features)
        return chosen


def cluster(reports: Iterable[Report], places: PlaceIndex | None = None) -> Iterator[tuple[Report, int]]:
    """Each report with its story id, in the order given (the caller sorts by publication time)."""
    replay = Replay(places)
    for report in reports:
        yield report, replay.assign(report)
