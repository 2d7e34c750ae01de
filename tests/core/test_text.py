"""Normalisation and tokenisation rules, per language."""

from __future__ import annotations

import pytest

from bot.core.matching.text import candidates, fold, tokenize


def norms(text: str) -> list[str]:
    return [token.norm for token in tokenize(text)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("إِدْلِبُ", "ادلب"),  # diacritics
        ("إدلـــب", "ادلب"),  # tatweel
        ("آريحا", "اريحا"),  # alef madda
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("المدينة", "المدينه"),  # ta marbuta
        ("İDLİB", "idlib"),
        ("IDLIB", "idlib"),
        ("ıdlıb", "idlib"),
        ("Ёлка", "елка"),
        ("Şuğur", "sugur"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_tokens_keep_spans_in_the_original_text() -> None:
    text = "Shelling near İdlib's edge"
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == ["Shelling", "near", "İdlib's", "edge"]
    assert norms(text) == ["shelling", "near", "idlib", "edge"]


@pytest.mark.parametrize("written", ["M4", "M-4", "M 4", "m4", "М4", "М-4", "م٤", "م4", "إم 4", "M–4"])
def test_road_code_spellings_meet(written: str) -> None:
    assert norms(f"on the {written} road")[2] == "m4"


@pytest.mark.parametrize("written", ["M40", "M45", "AM4", "M4A1", "M 40", "M44"])
def test_other_codes_stay_apart(written: str) -> None:
    assert "m4" not in norms(written)


def test_arabic_mother_of_four_is_not_a_road() -> None:
    assert "m4" not in norms("أم 4 أطفال")


def test_punctuation_breaks_phrases_but_dashes_do_not() -> None:
    tokens = tokenize("Aleppo, Latakia - Aleppo – Latakia")
    assert [t.break_before for t in tokens] == [False, True, False, False]


@pytest.mark.parametrize(
    ("word", "lang", "base"),
    [
        ("وبإدلب", "ar", "ادلب"),
        ("لإدلب", "ar", "ادلب"),
        ("الإدلبي", "ar", "ادلب"),
        ("الإدلبية", "ar", "ادلب"),
        ("فالإدلبيون", "ar", "ادلب"),
        ("İdlib'deki", "tr", "idlib"),
        ("İdlibli", "tr", "idlib"),
        ("İdlibliler", "tr", "idlib"),
        ("karayolunda", "tr", "karayolu"),
        ("Идлиба", "ru", "идлиб"),
        ("Идлибом", "ru", "идлиб"),
        ("идлибских", "ru", "идлиб"),
        ("Идлибской", "ru", "идлиб"),
        ("patrols", "en", "patrol"),
        ("Idlibis", "en", "idlib"),
        ("devriyesi", "tr", "devriye"),
        ("devriyeleri", "tr", "devriye"),
    ],
)
def test_inflected_forms_reach_their_base(word: str, lang: str, base: str) -> None:
    (token,) = tokenize(word)
    assert base in candidates(token, lang)


def test_short_words_are_not_stemmed_into_other_words() -> None:
    (token,) = tokenize("Хаме")
    assert "хам" not in candidates(token, "ru")
