"""Places named as reference points, and northwest Syria named by description (story clustering)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.clustering import Report
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
    Place("saraqib", "Saraqib", {"ar": ("سراقب",), "tr": ("Serakib",), "ru": ("Саракиб",), "en": ("Saraqib",)}),
    Place("bazra", "Bazra", {"ar": ("بزرة",), "tr": ("Bezre",), "ru": ("Базра",), "en": ("Bazra",)}),
])


@pytest.mark.parametrize(("text", "lang"), [
    ("Air strikes kill three north of Idlib city", "en"),
    ("Drone hits a car 5 km west of Saraqib", "en"),
    ("غارات جوية شمال مدينة إدلب", "ar"),
    ("قصف على قرية جنوبي سراقب", "ar"),
    ("Удар к северу от Саракиба", "ru"),
    ("Serakib'in doğusunda hava saldırısı", "tr"),
])
def test_a_town_named_as_a_reference_point_is_not_the_site(text: str, lang: str) -> None:
    named = PLACES.named_in(tokenize(text), lang)
    assert named.towns == frozenset()
    assert named.regions <= {"idlib", "near:saraqib"} and named.regions


def test_the_same_town_named_as_the_site_stays_a_town() -> None:
    assert PLACES.named_in(tokenize("Drone hits a car in Saraqib, west of Bazra"), "en").towns == {"saraqib"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Russian strikes hit a water station in northwest Syria", "en"),
    ("غارات روسية في شمال غرب سوريا", "ar"),
    ("Удары на северо-западе Сирии", "ru"),
    ("Suriye'nin kuzeybatısında hava saldırısı", "tr"),
])
def test_northwest_syria_named_by_description_is_the_idlib_region(text: str, lang: str) -> None:
    assert PLACES.named_in(tokenize(text), lang).regions == {"idlib"}


def test_a_strike_on_a_town_and_the_same_strike_located_by_a_nearby_city_are_one_story() -> None:
    replay = Replay(PLACES)
    first = Report("1", "a.example", "ar", T0, "ثلاثة قتلى بغارات روسية على أطراف بزرة بريف إدلب")
    second = Report("2", "b.example", "en", T0 + timedelta(hours=3),
                    "Russian air strikes kill three north of Idlib city")
    assert replay.assign(first) == replay.assign(second)
