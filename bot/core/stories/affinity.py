"""How well a report agrees with an open story: vetoes first, then points of evidence (pure).

Vetoes (any one keeps the report out):
- outside the window;
- the two name different kinds of incident only, in their titles or anywhere (a soldier's death told
  without how, bot/core/stories/casualties.py's `CASUALTY`, is no kind to tell two apart; reports of such
  a loss whose counts differ are not tied by region and party alone);
- different towns only, in their titles or anywhere (so a town named in passing, "a day after the
  Sarmada bombing", does not pull a report into the Sarmada story when its title names another town);
- different ordinals ("fourth" and "fifth" patrol); different weekdays;
- large counts that differ by more than a quarter (a convoy of 30 vehicles and one of 12);
- the report dates its incident a day after another ("a day after", "بعد يوم من": `REPEAT`) and the story
  began more than `CLOSE` before it.

Points: the same town 2 (the same region only 1); the same target or cargo named in a title of either,
within `CLOSE`, 1 (bot/core/stories/targets.py: a water station, a bakery, concrete blocks; named only in
passing by both, 1 for reports already anchored, and no anchor); a name outside
the gazetteer in a title of either, written in another language by the other, within `CLOSE`, 2
(bot/core/stories/names.py: "Hmeimim", "حميميم", "Хмеймим"); the same kind
of incident in a title of each 2 (named only in passing 1); an actor both name (Russian, Turkish,
regime...) 1; the same ordinal 2; a count both give 1; the same title 3; shared content words (same
language, or the English pivot) 1 to 3.
Less: reported more than 12 h after the story began 1, more than 24 h 4 (by then the same kind of
incident in the same town is more often a new one: only close wording or counts can tie it); the same
outlet again 1 (outlets rarely report one event twice).

A report of the same kind, anchored, whose small counts are all just above the story's (`toll_rose`: "3
killed", then "4 dead, 6 wounded") loses nothing between 12 and 24 hours either: a toll rose.
A follow-up (a toll that rose, a wounded man who died, a denial: `StoryFeatures.follow_ups`) reports an
event already reported: it loses nothing between 12 and 24 hours, its counts may differ from the story's,
and its close ties (below) hold for `LATE` instead of `CLOSE`.

A report joins at `JOIN_AT` points, and only with an anchor besides the kind of incident: the same
town, target or name (within `CLOSE`) or ordinal, a count of ten or more or two counts, the same title, or
close wording (half the report's content words are the story's: less is common between unrelated reports of
one region).
The kind of incident and a region alone merge two reports only when the report comes within `CLOSE` of
the story's start, they share an actor, and no other open story of that kind agrees nearly as well
(`choose_story`): "a car bomb in Idlib" happens twice a week. Kinds that are not daily events in a war
zone (`RARE_KINDS`: an earthquake, a minister's visit, talks, an epidemic...) need no shared actor: two
such events in one region within hours, with no other story of the kind open, are unlikely (unless both
name parties and none in common: the UN envoy's visit is not the Turkish minister's); and like
follow-ups they lose nothing between 12 and 24 hours and keep their close ties until `LATE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.stories.casualties import CASUALTY
from bot.core.stories.lexicon import REPEAT
from bot.core.stories.names import tied

if TYPE_CHECKING:
    from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord

WINDOW = timedelta(hours=36)
"""A story takes new reports for this long after its first report."""

JOIN_AT = 4
SAME_LINK = 100
CLOSE = timedelta(hours=12)  # a report this soon after a story began may join it on weaker ties
LATE = timedelta(hours=24)  # later than this the same incident in the same town is more often a new one
_LARGE_COUNT = 10  # counts this large (trucks, vehicles, people) do not grow by one like a death toll
_NEAR_COUNT = 0.75  # two large counts this close may be two outlets' estimates of one figure
_MIN_WORDS = 4  # a text with fewer content words in a language is not compared in it
RARE_KINDS = frozenset({"earthquake", "weather", "health", "visit", "talks", "traffic", "displacement"})
"""Kinds of incident that do not happen every day in Idlib (shelling, strikes, bombings, convoys, patrols,
aid crossings, arrests, fires, accidents, protests and prices do)."""


@dataclass(frozen=True)
class Agreement:
    """How a report agrees with a story: points, and the ties behind them.

    `anchored`: a tie besides the kind of incident and a region (see the module's docstring);
    `same_kind`: the story names every kind of incident the report's title names ("Turkish convoy hit by a
    bomb" is of the kind of a convoy bombing story, not of a story of a convoy that merely passed), or its
    summary when the title names none (`about`);
    `close`: besides, they share a region and an actor (Russian, Turkish, regime...), or the report's kinds
    are all `RARE_KINDS`, and the report came within `CLOSE` of the story's first report.
    """

    points: int
    anchored: bool
    same_kind: bool = False
    close: bool = False
    alone_points: int | None = None
    """The points weighed by `joins_alone` (`points` unless a rare kind stood in for a shared actor)."""

    @property
    def joins(self) -> bool:
        """Enough points and an anchor: the report joins this story whatever else is open."""
        return self.anchored and self.points >= JOIN_AT

    @property
    def joins_alone(self) -> bool:
        """Enough points and close ties: the report joins this story if no other open one is of its kind."""
        return self.close and (self.points if self.alone_points is None else self.alone_points) >= JOIN_AT


def affinity(report: Report, features: StoryFeatures, story: StoryRecord) -> Agreement | None:
    """How the report agrees with the story, or None when something rules it out."""
    age = abs(report.published - story.first_published)
    if age > WINDOW:
        return None
    theirs = story.features
    if features.links & theirs.links:
        return Agreement(SAME_LINK, anchored=True)
    follow_up = bool(features.follow_ups - {REPEAT})
    if _vetoed(features, theirs, follow_up) or (REPEAT in features.follow_ups and not follow_up and age > CLOSE):
        return None  # "a day after": a new incident, not the story begun yesterday
    points, anchored = _evidence(features, theirs)
    if age <= CLOSE and (features.title_targets & theirs.targets or features.targets & theirs.title_targets):
        points, anchored = points + 1, True  # a day later the same market or station is often hit again
    if age <= CLOSE and (tied(features.title_names, theirs.names) or tied(features.names, theirs.title_names)):
        points, anchored = points + 2, True  # a name outside the gazetteer, as the same town would
    if anchored and age <= CLOSE and features.targets & theirs.targets and not (
            features.title_targets & theirs.targets or features.targets & theirs.title_targets):
        points += 1  # a target both name in passing: a point for reports already anchored, never an anchor
    kinds = about(features)
    same_kind = bool(kinds) and kinds <= theirs.events
    rare = kinds <= RARE_KINDS
    lasting = follow_up or (same_kind and rare)  # a day later, still more likely this event than a new one
    if age > LATE:
        points -= 4
    elif age > CLOSE and not lasting and not (anchored and same_kind and toll_rose(features.numbers, theirs.numbers)):
        points -= 1
    if report.source in story.sources:
        points -= 1
    close = (same_kind and age <= (LATE if lasting else CLOSE) and bool(features.regions & theirs.regions)
             and (bool(features.actors & theirs.actors) or (rare and not _disjoint(features.actors, theirs.actors)))
             and not (CASUALTY in kinds and _disjoint(features.numbers, theirs.numbers)))
    # a loss told without how is tied by region and party only when its counts do not tell it apart
    # the rarity of the kind stands in for the point a shared actor would have given
    alone = points + 1 if close and rare and not features.actors & theirs.actors else points
    return Agreement(points, anchored, same_kind, close, alone)


def fragments(one: StoryRecord, other: StoryRecord) -> bool:
    """Whether two open stories look like parts of one event that clustering kept apart: begun within
    `CLOSE` of each other, about the same kinds of incident in a region both name, with a party both name,
    and nothing that tells them apart (no veto: towns, ordinals, weekdays, counts; no two different towns
    named by one and not the other)."""
    mine, theirs = one.features, other.features
    return (abs(one.first_published - other.first_published) <= CLOSE
            and bool(mine.title_events) and mine.title_events == theirs.title_events
            and bool(mine.regions & theirs.regions) and bool(mine.actors & theirs.actors)
            and mine.towns == theirs.towns and not _vetoed(mine, theirs))


def about(features: StoryFeatures) -> frozenset[str]:
    """The kinds of incident a report is about: its title's, or when its title names none ("1 şehit, 2
    yaralı": one martyr, two wounded), its summary's."""
    return features.title_events or features.events


def toll_rose(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Whether the report's smallest count is one or two above the story's largest, both small: a toll
    that rose ("3 killed" in the morning, "4 dead" in the evening), as a follow-up says in words."""
    small_mine = [n for n in mine if n < _LARGE_COUNT]
    small_theirs = [n for n in theirs if n < _LARGE_COUNT]
    return bool(small_mine and small_theirs) and 0 < min(small_mine) - max(small_theirs) <= 2


def _disjoint(mine: frozenset[str] | frozenset[int], theirs: frozenset[str] | frozenset[int]) -> bool:
    return bool(mine) and bool(theirs) and not mine & theirs


def _vetoed(mine: StoryFeatures, theirs: StoryFeatures, follow_up: bool = False) -> bool:
    """Whether something rules the two out; a follow-up's counts may differ (it reports a toll that rose)."""
    kinds = ((mine.events, theirs.events), (mine.title_events, theirs.title_events))
    if any(_disjoint(own, other) and CASUALTY not in own and CASUALTY not in other for own, other in kinds):
        return True
    pairs = ((mine.towns, theirs.towns), (mine.title_towns, theirs.title_towns), (mine.ordinals, theirs.ordinals),
             (mine.weekdays, theirs.weekdays))
    if any(_disjoint(own, other) for own, other in pairs):
        return True
    return not follow_up and _counts_differ(mine.numbers, theirs.numbers)


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
    if mine.actors & theirs.actors:
        points += 1
    if mine.ordinals & theirs.ordinals:
        points, anchored = points + 2, True
    counts = mine.numbers & theirs.numbers
    if counts:
        points += 1
        anchored = anchored or len(counts) >= 2 or max(counts) >= 10
    if mine.titles & theirs.titles:
        points, anchored = points + 3, True
    wording = wording_points(mine.words, theirs.words)
    if wording:
        points += wording
        anchored = anchored or wording >= 3
    return points, anchored


def _counts_differ(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Both give large counts, and none of them come near each other ("about 50" and "60" vehicles may be
    one convoy; 30 and 12 are two)."""
    large_mine = [n for n in mine if n >= _LARGE_COUNT]
    large_theirs = [n for n in theirs if n >= _LARGE_COUNT]
    return bool(large_mine and large_theirs) and not any(
        min(a, b) >= _NEAR_COUNT * max(a, b) for a in large_mine for b in large_theirs)


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
