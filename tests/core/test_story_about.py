"""What a report is about when its title names no incident, and a toll that rose (bot/core/stories/affinity.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.affinity import toll_rose
from bot.core.stories.clustering import Report
from bot.core.stories.evidence import event_kinds
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay
from bot.core.stories.stems import words_of

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
PLACES_LIST = [
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
]
PLACES = PlaceIndex.from_places(PLACES_LIST)
STORY = Report("1", "aa.com.tr", "tr", T0, "İdlib'de Türk üssüne saldırı",
               "Bölgedeki Türk askerlerine yönelik topçu atışı düzenlendi.")


def test_a_title_naming_no_incident_is_about_what_its_summary_names() -> None:
    replay = Replay(PLACES)
    first = replay.assign(STORY)
    later = replay.assign(Report("2", "hurriyet.com.tr", "tr", T0 + timedelta(hours=1), "İdlib'den acı haber",
                                 "İdlib'de Türk askerlerine yönelik topçu ateşi sonucu bir asker şehit oldu."))
    assert later == first


def test_a_summary_of_another_kind_keeps_it_out() -> None:
    replay = Replay(PLACES)
    first = replay.assign(STORY)
    later = replay.assign(Report("2", "hurriyet.com.tr", "tr", T0 + timedelta(hours=1), "İdlib'den acı haber",
                                 "İdlib'de Türk askerlerini taşıyan araç trafik kazası yaptı."))
    assert later != first


def test_a_toll_just_above_the_story_s_is_a_toll_that_rose() -> None:
    assert toll_rose(frozenset({4, 6}), frozenset({3}))
    assert not toll_rose(frozenset({7}), frozenset({3}))  # not one or two above
    assert not toll_rose(frozenset({3}), frozenset({3}))
    assert not toll_rose(frozenset({31}), frozenset({30}))  # convoys and trucks are no tolls


def test_a_toll_that_rose_keeps_a_late_report_of_the_same_town_in_its_story() -> None:
    places = PlaceIndex.from_places([*PLACES_LIST, Place("ariha", "Ariha", {"en": ("Ariha",), "tr": ("Eriha",)})])
    for toll, joins in ((4, True), (8, False)):
        replay = Replay(places)
        first = replay.assign(Report("1", "a.example", "en", T0, "Road accident near Ariha kills 3"))
        later = replay.assign(Report("2", "b.example", "tr", T0 + timedelta(hours=14),
                                     f"Eriha'da feci kaza: {toll} ölü"))
        assert (later == first) is joins


def test_a_report_dated_a_day_after_another_incident_is_a_new_one() -> None:
    places = PlaceIndex.from_places([*PLACES_LIST, Place("sarmada", "Sarmada", {"en": ("Sarmada",), "ar": ("سرمدا",)})])
    for summary, joins in (("انفجار عبوة ناسفة في مدينة سرمدا مساء اليوم.", True),
                           ("انفجار عبوة ناسفة في مدينة سرمدا، بعد يوم من انفجار مماثل.", False)):
        replay = Replay(places)
        first = replay.assign(Report("1", "a.example", "en", T0, "Bomb blast wounds two in Sarmada"))
        later = replay.assign(Report("2", "b.example", "ar", T0 + timedelta(hours=20),
                                     "إصابة 2 بانفجار عبوة ناسفة في سرمدا", summary))
        assert (later == first) is joins


def test_bombed_in_turkish_is_said_of_jets_and_artillery_alike() -> None:
    assert event_kinds(words_of(tokenize("Esed rejimi Eriha'yı bombaladı"), "tr"), "tr") == frozenset()
    assert event_kinds(words_of(tokenize("İdlib'de bombalı araç patladı"), "tr"), "tr") == {"bombing"}
