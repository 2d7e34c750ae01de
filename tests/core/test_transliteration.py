"""Spellings derived for a place nobody listed, and the keyword built from them found in four scripts."""

from __future__ import annotations

import pytest

from bot.core.interface.i18n import Texts
from bot.core.matching.keyword_view import describe_concept
from bot.core.matching.keywords import AddRequest, build_user_concept
from bot.core.matching.matcher import Matcher
from bot.core.matching.transliteration import derived_spellings, latin_to_arabic, latin_to_cyrillic


@pytest.mark.parametrize(
    ("latin", "arabic", "russian"),
    [("Kafr Lusin", "كفر لوسين", "Кафр Лусин"), ("Saraqib", "سرقيب", "Саракиб"),
     ("Deir Hassan", "دير حسن", "Дейр Хассан"), ("al-Nayrab", "النيرب", "Ал-Найраб")],
)
def test_latin_names_in_arabic_and_cyrillic(latin: str, arabic: str, russian: str) -> None:
    assert latin_to_arabic(latin) == arabic
    assert latin_to_cyrillic(latin) == russian


def test_two_word_names_are_also_written_joined() -> None:
    assert derived_spellings("Kafr Lusin") == {"ar": ("كفر لوسين", "كفرلوسين"), "ru": ("Кафр Лусин",),
                                               "en": ("Kafrlusin",)}


@pytest.mark.parametrize("typed", ["Kafr Lusin", "كفرلوسين", "Кафр-Лусин"])
@pytest.mark.parametrize(
    ("text", "lang"),
    [("قصف على مخيمات كفرلوسين الحدودية", "ar"), ("Kefer Lusin kamplarında yangın", "tr"),
     ("Пожар в лагерях у Кафр-Лусина", "ru"), ("Fire in camps near Kafr Lusin", "en")],
)
def test_a_small_place_typed_in_any_script_is_found_in_all_four(typed: str, text: str, lang: str) -> None:
    concept = build_user_concept(AddRequest(typed), {}, None)
    assert Matcher([concept]).match(text, lang)


def test_a_small_place_does_not_match_other_villages() -> None:
    concept = build_user_concept(AddRequest("Kafr Lusin"), {}, None)
    matcher = Matcher([concept])
    for text, lang in [("قصف على كفرنبل", "ar"), ("Kafr Takharim market", "en"), ("Кафр-Нубль", "ru")]:
        assert not matcher.match(text, lang), text


def test_keywords_list_shows_derived_spellings_and_the_sound_key() -> None:
    text = describe_concept(build_user_concept(AddRequest("Kafr Lusin"), {}, None), Texts("en"))
    assert "كفرلوسين" in text and "Кафр Лусин" in text
    assert text.splitlines()[-1] == "  and names that sound like: kfr lsn, kfrlsn"


def test_common_words_get_no_invented_spellings() -> None:
    concept = build_user_concept(AddRequest("curfew"), {"ar": "حظر تجول"}, None)
    assert concept.terms == {"en": ("curfew",), "ar": ("حظر تجول",)}
