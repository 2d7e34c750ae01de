"""How well a report agrees with an open story: vetoes first, then points of evidence (pure).

Vetoes (any one keeps the report out):
- outside the window;
- the two name different kinds of incident only, in their titles or anywhere;
- different towns only, in their titles or anywhere (so a town named in passing, "a day after the
  Sarmada bombing", does not pull a report into the Sarmada story when its title names another town);
- different ordinals ("fourth" and "fifth" patrol); different weekdays.

Points: the same town 2 (the same region only 1); the same kind of incident in a title of each 2 (named
only in passing 1); the same ordinal 2; a count both give 1 (counts of ten or more that all differ: less
3); the same title 3; shared content words (same language, or the English pivot) 1 to 3.
Less: reported more than 12 h after the story began 1, more than 24 h 4 (by then the same kind of
incident in the same town is more often a new one: only close wording or counts can tie it); the same
outlet again 1 (outlets rarely report one event twice).

A report joins at `JOIN_AT` points, and only with an anchor besides the kind of incident: the same
town, the same ordinal, a count of ten or more or two counts, the same title, or close wording. The
kind of incident and a region alone never merge two reports: "a car bomb in Idlib" happens twice a week.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord

WINDOW = timedelta(hours=36)
"""A story takes new reports for this long after its first report."""

JOIN_AT = 4
SAME_LINK = 100
_LARGE_COUNT = 10  # counts this large (trucks, vehicles, people) do not grow by one like a death toll
_MIN_WORDS = 4  # a text with fewer content words in a language is not compared in it


def joins(score: int) -> bool:
    """Whether a report with this many points joins the story."""
    return score >= JOIN_AT


def affinity(report: Report, features: StoryFeatures, story: StoryRecord) -> int | None:
    """Points of agreement between the report and the story, or None when something rules it out."""
    age = report.published - story.first_published
    if abs(age) > WINDOW:
        return None
    theirs = story.features
    if features.links & theirs.links:
        return SAME_LINK
    if _vetoed(features, theirs):
        return None
    points, anchored = _evidence(features, theirs)
    if not anchored:
        return 0
    if abs(age) > timedelta(hours=24):
        points -= 4
    elif abs(age) > timedelta(hours=12):
        points -= 1
    if report.source in story.sources:
        points -= 1
    return points


def _disjoint(mine: frozenset[str] | frozenset[int], theirs: frozenset[str] | frozenset[int]) -> bool:
    return bool(mine) and bool(theirs) and not mine & theirs


def _vetoed(mine: StoryFeatures, theirs: StoryFeatures) -> bool:
    pairs = ((mine.events, theirs.events), (mine.title_events, theirs.title_events), (mine.towns, theirs.towns),
             (mine.title_towns, theirs.title_towns), (mine.ordinals, theirs.ordinals),
             (mine.weekdays, theirs.weekdays))
    return any(_disjoint(own, other) for own, other in pairs)


def _evidence(mine: StoryFeatures, theirs: StoryFeatures) -> tuple[int, bool]:
    """Points, and whether anything besides the kind of incident and a region ties the two together."""
    points = 0
    anchored = False
    if mine.towns & theirs.towns:
        points, anchored = points + 2, True
    elif mine.regions & theirs.regions:
        points += 1
    if mine.title_events & theirs.title_events:
        points += 2
    elif mine.events & theirs.events:
        points += 1
    if mine.ordinals & theirs.ordinals:
        points, anchored = points + 2, True
    counts = mine.numbers & theirs.numbers
    if counts:
        points += 1
        anchored = anchored or len(counts) >= 2 or max(counts) >= 10
    elif mine.numbers and theirs.numbers and min(max(mine.numbers), max(theirs.numbers)) >= _LARGE_COUNT:
        points -= 3
    if mine.titles & theirs.titles:
        points, anchored = points + 3, True
    wording = wording_points(mine.words, theirs.words)
    if wording:
        points += wording
        anchored = anchored or wording >= 2
    return points, anchored


def wording_points(mine: frozenset[str], theirs: frozenset[str]) -> int:
    """1 to 3 points when most of the report's content words (in a language both have) are the story's."""
    best = 0.0
    for lang in {word.split(":", 1)[0] for word in mine}:
        own = {word for word in mine if word.startswith(lang + ":")}
        if len(own) < _MIN_WORDS or not any(word.startswith(lang + ":") for word in theirs):
            continue
        best = max(best, len(own & theirs) / len(own))
    if best >= 0.5:
        return 3
    if best >= 0.3:
        return 2
    return 1 if best >= 0.2 else 0
