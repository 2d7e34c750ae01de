"""A region-only report between two fragments of one event joins the older (bot/core/stories/clustering.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.matching.places import REGION, Place
from bot.core.stories.clustering import Report, StoryRecord, choose_story, features_of
from bot.core.stories.place_index import PlaceIndex

T0 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
    Place("sarmin", "Sarmin", {"en": ("Sarmin",), "tr": ("Sermin",)}),
])


def _story(story_id: int, hours: float, title: str) -> StoryRecord:
    item = Report(str(story_id), f"s{story_id}.example", "en", T0 + timedelta(hours=hours), title)
    return StoryRecord(story_id, item.published, item.published, features_of(item, PLACES),
                       frozenset({item.source}), frozenset({"en"}))


REPORT = Report("r", "other.example", "tr", T0 + timedelta(hours=3), "İdlib'de Rus hava saldırısı")


def test_a_region_only_report_joins_the_older_of_two_fragments() -> None:
    stories = [_story(1, 0, "Russian airstrike in Idlib"), _story(2, 1, "Russian air strike hits Idlib")]
    assert choose_story(REPORT, features_of(REPORT, PLACES), stories) == 1


def test_rivals_told_apart_by_a_town_leave_it_alone() -> None:
    stories = [_story(1, 0, "Russian airstrike in Idlib"), _story(2, 1, "Russian airstrike on Sarmin, Idlib")]
    assert choose_story(REPORT, features_of(REPORT, PLACES), stories) is None
