"""Inflected forms of event words derived by rule (bot/core/stories/inflection.py)."""

from __future__ import annotations

import pytest

from bot.core.matching.text import tokenize
from bot.core.stories.evidence import event_kinds
from bot.core.stories.inflection import arabic_forms, english_forms, inflected
from bot.core.stories.stems import words_of


def kinds(text: str, lang: str) -> frozenset[str]:
    return event_kinds(words_of(tokenize(text), lang), lang)


def test_arabic_verbal_nouns_give_their_verbs_and_imperfects() -> None:
    assert {"انفجر", "ينفجر", "تنفجر"} <= arabic_forms("انفجار")  # افتعال/انفعال -> انفعل
    assert {"اغلق", "يغلق"} <= arabic_forms("اغلاق")  # إفعال -> أفعل
    assert {"يعتقل", "تعتقل"} <= arabic_forms("اعتقل")


def test_only_forms_v_and_vi_take_the_participle_prefix() -> None:
    assert "متظاهر" in arabic_forms("تظاهر")
    assert "مجتمع" not in arabic_forms("اجتماع")  # "community", not a meeting


def test_arabic_singulars_in_ta_marbuta_give_their_sound_plurals_and_not_the_reverse() -> None:
    assert "عبوات" in arabic_forms("عبوه")
    assert "مسيره" not in arabic_forms("مسيرات")


def test_english_past_forms_give_present_and_ing_forms() -> None:
    assert {"collides", "colliding"} <= english_forms("collided")
    assert {"overturns", "marches"} <= english_forms("overturned") | english_forms("marched")
    assert english_forms("aided") == {"aided"}  # short words are left alone ("aides" are assistants)


def test_a_derived_form_that_another_kind_begins_is_dropped() -> None:
    table = {"fighting": {"en": ("stormed", "repelled")}, "weather": {"en": ("storm",)}}
    fighting = inflected(table)["fighting"]["en"]
    assert "storms" not in fighting
    assert {"stormed", "repelling"} <= set(fighting)


@pytest.mark.parametrize(("text", "lang", "kind"), [
    ("جهاز الأمن العام يعتقل خلية في حارم", "ar", "arrest"),
    ("متظاهرون في إدلب يرفعون لافتات", "ar", "protest"),
    ("سيارة مفخخة تنفجر في السوق", "ar", "bombing"),
    ("انقلبت شاحنة على الطريق الدولي", "ar", "accident"),
    ("Six hurt as bus collides with car near Saraqib", "en", "accident"),
    ("Truck overturns on the M4", "en", "accident"),
])
def test_inflected_event_words_are_read_in_news_text(text: str, lang: str, kind: str) -> None:
    assert kind in kinds(text, lang)


@pytest.mark.parametrize(("text", "lang", "kind"), [
    ("В Аазазе взорвался автомобиль", "ru", "bombing"),
    ("A motorbike blew up in the market", "en", "bombing"),
    ("Самолеты разбомбили склад", "ru", "airstrike"),
    ("В лагере загорелись палатки", "ru", "fire"),
])
def test_verbs_whose_stem_differs_from_their_nouns_are_listed(text: str, lang: str, kind: str) -> None:
    assert kinds(text, lang) == {kind}


def test_a_whole_word_stem_inside_an_entry_keeps_a_mortar_attack_from_reading_as_an_air_strike() -> None:
    assert kinds("Üs bölgesine havan saldırısı: 1 asker şehit", "tr") == {"shelling"}
    assert kinds("Rus hava saldırıları İdlib'i vurdu", "tr") == {"airstrike"}
