"""Counts read for story clustering: digits with thousands separators, number words, multipliers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.clustering import Report
from bot.core.stories.evidence import numbers
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
])


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("WHO sends 2,000 test kits", "en", {2000}),
    ("DSÖ 2 bin test kiti gönderdi", "tr", {2000}),
    ("Türkiye 1.500 çadır gönderdi", "tr", {1500}),
    ("الصحة العالمية تدخل ألفي اختبار", "ar", {2000}),
    ("ВОЗ передала две тысячи тестов", "ru", {2000}),
    ("Thirty trucks loaded with flour", "en", {30}),
    ("قافلة من خمسين شاحنة", "ar", {50}),
    ("A 4.6 quake on Friday at 10:30 in 2020", "en", set()),
])
def test_counts_are_read_in_digits_words_and_with_multipliers(text: str, lang: str, expected: set[int]) -> None:
    assert numbers(text, tokenize(text), lang) == expected


def test_a_count_written_in_words_in_one_language_and_digits_in_another_anchors_a_merge() -> None:
    replay = Replay(PLACES)
    first = Report("1", "a.example", "ar", T0, "30 شاحنة مساعدات أممية تدخل إدلب")
    second = Report("2", "b.example", "en", T0 + timedelta(hours=2), "UN aid convoy of thirty trucks enters Idlib")
    third = Report("3", "c.example", "en", T0 + timedelta(hours=3), "UN aid convoy of twenty trucks enters Idlib")
    ids = [replay.assign(first), replay.assign(second), replay.assign(third)]
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("روسيا تعلن إسقاط ثلاث طائرات مسيرة", {3}),  # the form before a feminine noun
    ("انقطاع المياه عن عشرات آلاف السكان", set()),  # "tens of thousands" is no count
    ("وخمسة جرحى", {5}),
])
def test_arabic_number_words_in_both_genders_and_not_their_plurals(text: str, expected: set[int]) -> None:
    assert numbers(text, tokenize(text), "ar") == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("21. Türk-Rus Birleşik Kara Devriyesi", "tr", {21}),
    ("21'inci ortak devriye", "tr", {21}),
    ("Во время 21-го совместного патрулирования", "ru", {21}),
    ("The 21st joint patrol", "en", {21}),
    ("الدورية الـ21 المشتركة", "ar", {21}),
    ("Patrol on the 21st of April", "en", set()),
    ("Патруль 21-го марта", "ru", set()),
])
def test_ordinals_in_digits_are_read_as_each_language_writes_them(text: str, lang: str, expected: set[int]) -> None:
    from bot.core.stories.evidence import ordinals

    assert ordinals(text, tokenize(text), lang) == expected
    assert not numbers(text, tokenize(text), lang) & expected  # an ordinal is no count


def test_the_same_ordinal_in_digits_joins_and_another_splits() -> None:
    replay = Replay(PLACES)
    reports = [Report("1", "a.example", "tr", T0, "İdlib'de 21. Türk-Rus ortak devriyesi"),
               Report("2", "b.example", "ru", T0 + timedelta(hours=1),
                      "Прошло 21-е совместное патрулирование в Идлибе"),
               Report("3", "c.example", "en", T0 + timedelta(hours=2), "22nd joint patrol held in Idlib")]
    ids = [replay.assign(item) for item in reports]
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]


def test_an_arabic_feminine_dual_counts_two() -> None:
    for text in ("احتراق خيمتين في مخيم", "احترقت خيمتان", "غارتين جويتين", "وبسيارتين"):
        assert numbers(text, tokenize(text), "ar") == frozenset({2}), text


def test_words_that_only_end_like_a_dual_count_nothing() -> None:
    for text in ("بوتين يلتقي أردوغان", "باكستان", "بستان", "قصف مرتين", "روتين"):
        assert numbers(text, tokenize(text), "ar") == frozenset(), text
    assert numbers("ستين شاحنة", tokenize("ستين شاحنة"), "ar") == frozenset({60})
