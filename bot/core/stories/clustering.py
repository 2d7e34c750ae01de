"""Which story a new report joins: the pure decision the scan and `python -m bot eval-stories` share.

The contract the services rely on (keep the signatures; improve what is behind them):
- `Report`: one matched entry, as clustering sees it.
- `features_of(report, places)`: what clustering keeps of a report (JSON-able, stored with the story).
  Pass the gazetteer as `places=PlaceIndex.from_places(load_places(settings.places_file))` (built once);
  without it, reports are compared without the places they name, which merges less.
- `choose_story(report, features, open_stories)`: the id of the story the report joins, or None to start one.
- `absorb(story, report, features)`: the story after the report joined it.
- `open_since(now)`: stories whose first report is older than this are closed (`WINDOW`).

Conservative by design: a missed merge costs one extra message, a wrong merge hides an event. How a
report and a story are weighed is in bot/core/stories/affinity.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.core.matching.text import tokenize
from bot.core.stories import evidence, objects
from bot.core.stories.affinity import WINDOW, affinity, fragments
from bot.core.stories.casualties import casualty
from bot.core.stories.names import names as names_in
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.stems import words_of

__all__ = ["WINDOW", "Report", "StoryFeatures", "StoryRecord", "absorb", "choose_story", "features_of",
           "open_since"]


@dataclass(frozen=True)
class Report:
    """One matched entry as clustering sees it.

    `pivot` is the title and summary in the pivot language (English), title first on its own line.
    """

    key: str
    source: str
    lang: str
    published: datetime
    title: str
    summary: str = ""
    link: str = ""
    pivot: str | None = None


_SETS = ("links", "titles", "towns", "title_towns", "regions", "events", "title_events", "actors", "weekdays",
         "words", "follow_ups", "targets", "title_targets", "names", "title_names")
_NUMBER_SETS = ("ordinals", "numbers")


@dataclass(frozen=True)
class StoryFeatures:
    """What clustering keeps of a story's reports (JSON-able through to_json/from_json).

    towns/regions: gazetteer keys named (title_towns: in a title); events: kinds of incident named
    anywhere, title_events: in a title (what the report is about); actors: parties named (russia, turkey,
    regime...); weekdays: days named ("sat"); follow_ups: what says a report follows an earlier one ("toll",
    "denial"); targets: specific targets or cargo named ("water", "bakery"; title_targets: in a title);
    ordinals: "the fourth patrol" gives 4; numbers: counts given; words: content stems prefixed by language;
    names: names outside the gazetteer, as "lang:skeleton" (bot/core/stories/names.py; title_names: in a title).
    """

    links: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    towns: frozenset[str] = frozenset()
    title_towns: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    title_events: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    follow_ups: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    title_targets: frozenset[str] = frozenset()
    ordinals: frozenset[int] = frozenset()
    numbers: frozenset[int] = frozenset()
    words: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    title_names: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (sorted lists)."""
        return {name: sorted(getattr(self, name)) for name in (*_SETS, *_NUMBER_SETS)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryFeatures:
        """The features stored by to_json; fields missing from older rows are empty, malformed ones ignored."""
        values: dict[str, Any] = {}
        for name in _SETS:
            values[name] = frozenset(str(v) for v in _listed(data.get(name)))
        for name in _NUMBER_SETS:
            values[name] = frozenset(int(v) for v in _listed(data.get(name)) if isinstance(v, int | str)
                                     and str(v).lstrip("-").isdigit())
        return cls(**values)

    def merged(self, other: StoryFeatures) -> StoryFeatures:
        """Both sets of features together."""
        return StoryFeatures(**{name: getattr(self, name) | getattr(other, name) for name in (*_SETS, *_NUMBER_SETS)})


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


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


def features_of(report: Report, places: PlaceIndex | None = None) -> StoryFeatures:
    """What clustering keeps of one report: read from its own text, and from its pivot (English) text."""
    texts = [(report.lang, report.title, report.summary)]
    if report.pivot and report.lang != "en":
        title, _, summary = report.pivot.partition("\n")
        texts.append(("en", title, summary))
    index = places or PlaceIndex()
    parts = [_text_features(lang, title, summary, index) for lang, title, summary in texts]
    key = _title_key(report.title)
    own = StoryFeatures(links=frozenset({report.link} if report.link else ()), titles=frozenset({key} if key else ()))
    for part in parts:
        own = own.merged(part)
    return own


def _text_features(lang: str, title: str, summary: str, places: PlaceIndex) -> StoryFeatures:
    text = f"{title}\n{summary}"
    tokens = tokenize(text)
    words = words_of(tokens, lang)
    named = places.named_in(tokens, lang)
    title_tokens = tokenize(title)
    named_kinds = evidence.event_kinds(words, lang)
    events = casualty(words, lang, named_kinds)
    title_words = words_of(title_tokens, lang)
    kept, opposed = objects.unopposed(title_tokens, lang)
    title_events = objects.title_kinds(
        evidence.event_kinds(title_words, lang) if named_kinds else casualty(title_words, lang, frozenset()),
        evidence.event_kinds(words_of(kept, lang), lang) if opposed else frozenset(), opposed, events)
    names, title_names = names_in(text, tokens, lang, lambda token: evidence.lexicon_word(token, lang),
                                  places.skeletons, len(title))
    return StoryFeatures(
        towns=named.towns, title_towns=places.named_in(title_tokens, lang).towns, regions=named.regions,
        events=evidence.carried(events, events), title_events=evidence.carried(title_events, events),
        actors=evidence.actors(words, lang),
        weekdays=evidence.weekdays(words, lang), follow_ups=evidence.follow_ups(words, lang),
        targets=evidence.targets(words, lang), title_targets=evidence.targets(title_words, lang),
        ordinals=evidence.ordinals(text, tokens, lang), numbers=evidence.numbers(text, tokens, lang),
        words=evidence.content_words(tokens, lang),
        names=names, title_names=title_names)


CLEAR_LEAD = 2
"""How many more points the best story of a report's kind needs than the next to take a region-only report."""


def choose_story(report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None:
    """The story this report joins, or None to start a new one: the open story it agrees with best, if
    it agrees well enough (bot/core/stories/affinity.py; ties go to the most recent story); failing that,
    the one open story of its kind, if their ties are close (a report naming only "Idlib" and "Turkish
    convoy" joins the morning's Turkish convoy story, unless another such story agrees with it nearly as
    well: by less than `CLEAR_LEAD` points; yesterday's convoy in a named town is no rival for a region-only
    report that shares a region and an actor with this morning's). Rivals that look like fragments of one
    event kept apart (bot/core/stories/affinity.py's `fragments`) are no reason to start yet another
    story: the report joins the oldest of them (its alerts went out first)."""
    fitting = [(agreement, story) for story in open_stories
               if (agreement := affinity(report, features, story)) is not None]
    joined = [(agreement.points, story.last_published, story.story_id) for agreement, story in fitting
              if agreement.joins]
    if joined:
        return max(joined, key=lambda candidate: candidate[:2])[2]
    of_its_kind = sorted(((agreement, story) for agreement, story in fitting if agreement.same_kind),
                         key=lambda candidate: candidate[0].points, reverse=True)
    if not of_its_kind or not of_its_kind[0][0].joins_alone:
        return None
    best_points, best = of_its_kind[0][0].points, of_its_kind[0][1]
    rivals = [story for agreement, story in of_its_kind[1:] if agreement.points > best_points - CLEAR_LEAD]
    if all(fragments(best, rival) for rival in rivals):
        return min([best, *rivals], key=lambda story: (story.first_published, story.story_id)).story_id
    return None


def absorb(story: StoryRecord, report: Report, features: StoryFeatures) -> StoryRecord:
    """The story after `report` joined it."""
    return replace(story, first_published=min(story.first_published, report.published),
                   last_published=max(story.last_published, report.published),
                   features=story.features.merged(features), sources=story.sources | {report.source},
                   languages=story.languages | {report.lang})
