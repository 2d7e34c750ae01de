"""Specific targets and cargo as ties between reports of one incident (bot/core/stories/targets.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.clustering import Report
from bot.core.stories.evidence import targets
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay
from bot.core.stories.stems import words_of

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
])


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Russian strikes knock out a water station", "en", {"water"}),
    ("Rus uçakları su istasyonunu vurdu", "tr", {"water"}),
    ("Удар по водонасосной станции", "ru", {"water"}),
    ("غارات تخرج محطة مياه عن الخدمة", "ar", {"water"}),
    ("رتل يحمل كتلاً إسمنتية", "ar", {"fortification"}),
    ("İdlib'e beton blok sevkiyatı", "tr", {"fortification"}),
    ("غارة على فرن في البلدة", "ar", {"bakery"}),
    ("زيارة إلى فرنسا", "ar", set()),  # France is no bakery
    ("Shelling hits a car and a house", "en", set()),  # everyday targets tie nothing
])
def test_targets_are_read_in_each_language(text: str, lang: str, expected: set[str]) -> None:
    assert targets(words_of(tokenize(text), lang), lang) == expected


def test_the_same_target_ties_region_only_reports_soon_after_and_not_a_day_later() -> None:
    replay = Replay(PLACES)
    reports = [Report("1", "a.example", "ar", T0, "قصف يخرج محطة مياه عن الخدمة في إدلب"),
               Report("2", "b.example", "tr", T0 + timedelta(hours=3), "İdlib'de su istasyonuna topçu saldırısı"),
               Report("3", "c.example", "en", T0 + timedelta(hours=14), "Shelling hits water station in Idlib")]
    ids = [replay.assign(item) for item in reports]
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]



def test_a_target_named_in_passing_by_both_adds_a_point_to_reports_already_anchored() -> None:
    replay = Replay(PLACES)
    first = replay.assign(Report("1", "a.com", "en", T0, "Turkish convoy of 14 engineering vehicles enters Idlib",
                                 "It carried concrete blocks."))
    later = replay.assign(Report("2", "b.com.tr", "tr", T0 + timedelta(hours=1),
                                 "Türk ordusu İdlib'e 14 iş makinesi gönderdi", "Araçlar beton blok taşıyordu."))
    assert later == first


def test_a_target_named_in_passing_is_no_anchor() -> None:
    replay = Replay(PLACES)
    first = replay.assign(Report("1", "a.com", "en", T0, "Turkish convoy enters Idlib", "It carried concrete blocks."))
    later = replay.assign(Report("2", "b.com.tr", "tr", T0 + timedelta(hours=1),
                                 "Türk ordusu İdlib'e iş makinesi gönderdi", "Araçlar beton blok taşıyordu."))
    assert later != first
