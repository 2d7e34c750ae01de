"""Turkish spellings derived by rule from English transliterations, as story clustering reads them."""

from __future__ import annotations

from bot.core.matching.places import Place
from bot.core.matching.text import tokenize
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.spellings import turkish_spellings

# Invented places, so the rules are shown on names the gazetteer does not list in Turkish.
PLACES = [
    Place("qarqania", "Qarqania", {"en": ("Qarqania",)}),
    Place("khirbet_shaykh", "Khirbet al-Shaykh", {"en": ("Khirbet al-Shaykh",)}),
    Place("wadi", "Wadi Jamal", {"en": ("Wadi Jamal",)}),
    Place("kerek", "Kerek", {"en": ("Kerek",)}),
    Place("karak", "Karak", {"en": ("Karak", "Karaq")}),
]


def test_letters_turkish_does_not_use_are_replaced() -> None:
    assert "kirbet" not in turkish_spellings("khirbet")
    assert {"hirbet", "seyh", "cemel", "vadi"} <= (turkish_spellings("khirbet") | turkish_spellings("shaykh")
                                                  | turkish_spellings("jamal") | turkish_spellings("wadi"))


def test_each_a_may_be_an_e_but_other_vowels_stay() -> None:
    assert turkish_spellings("qarqania") >= {"karkania", "kerkenie", "kerkania"}
    assert not any("o" in spelling for spelling in turkish_spellings("qarqania"))


def test_a_name_not_in_latin_letters_is_left_alone() -> None:
    assert turkish_spellings("سراقب") == frozenset({"سراقب"})


def _towns(text: str) -> frozenset[str]:
    return PlaceIndex.from_places(PLACES).named_in(tokenize(text), "tr").towns


def test_a_turkish_report_names_the_place_in_its_own_spelling() -> None:
    assert _towns("Kerkenie'de patlama") == {"qarqania"}
    assert _towns("Hirbet eş-Şeyh köyüne saldırı") == {"khirbet_shaykh"}
    assert _towns("Vadi Cemel yolunda kaza") == {"wadi"}


def test_a_derived_spelling_never_takes_another_places_listed_name() -> None:
    assert _towns("Kerek'te yangın") == {"kerek"}  # Karak's derived "kerek" is Kerek's listed name
    assert _towns("Karak'ta yangın") == {"karak"}


def test_short_one_word_names_get_no_variants() -> None:
    index = PlaceIndex.from_places([Place("hama_x", "Hama", {"en": ("Haqa",)})])
    assert index.named_in(tokenize("Heke"), "tr").towns == frozenset()
