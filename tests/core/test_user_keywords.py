"""User keywords: the /add syntax, sound-alike names across scripts, the gazetteer and ambiguous places."""

from __future__ import annotations

import pytest

from bot.core.matching.keywords import AddRequest, build_user_concept, parse_add
from bot.core.matching.matcher import Matcher
from bot.core.matching.places import Gazetteer, Place, parse_places
from bot.core.matching.text import fold, sound_key

JERICHO = Place(
    key="ariha", label="Ariha (Idlib)", ambiguous="also Jericho in the West Bank",
    names={"ar": ("أريحا",), "tr": ("Eriha",), "ru": ("Ариха",), "en": ("Ariha",)},
    context={"ar": ("إدلب", "سوريا", "السوري"), "tr": ("İdlib", "Suriye"), "ru": ("Идлиб", "Сирия", "сирийский"),
             "en": ("Idlib", "Syria")},
    vetoes={"ar": ("الضفة الغربية", "الفلسطيني"), "tr": ("Filistin", "Batı Şeria"), "ru": ("Иерихон",),
            "en": ("West Bank", "Palestinian")},
)


def test_parse_add_plain_term() -> None:
    assert parse_add("  Kafranbel ") == AddRequest("Kafranbel")


def test_parse_add_full_syntax() -> None:
    request = parse_add("Ariha, أريحا | near: Idlib, Syria | not: Jericho")
    assert request == AddRequest("Ariha", ("أريحا",), ("Idlib", "Syria"), ("Jericho",))


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x07", "Ariha | sometimes: x", "x" * 65, ",,,"])
def test_parse_add_rejects_bad_input(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_add(raw)


@pytest.mark.parametrize("spelling", ["Saraqib", "Serakib", "Saraqeb", "SARAKIB", "Саракиб", "سراقب"])
def test_sound_key_meets_across_scripts(spelling: str) -> None:
    assert sound_key(fold(spelling)) == "srkb"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("قصف مدفعي على أطراف كفرنبل", "ar"), ("Kefrenbel'de pazar yeri vuruldu", "tr"),
     ("Обстрел окраин Кафранбеля", "ru"), ("Market hit in Kafranbel", "en")],
)
def test_a_town_typed_in_english_is_found_in_all_scripts(text: str, lang: str) -> None:
    concept = build_user_concept(AddRequest("Kafranbel"), {}, None)
    assert Matcher([concept]).match(text, lang)


def test_sound_alike_needs_enough_consonants() -> None:
    concept = build_user_concept(AddRequest("Hama"), {}, None)
    assert not Matcher([concept]).match("Home affairs", "en")


def test_user_context_turns_terms_into_ambiguous_ones() -> None:
    concept = build_user_concept(parse_add("Dana | near: Idlib, Sarmada"), {}, None)
    matcher = Matcher([concept])
    assert not matcher.match("Dana wins the singing contest", "en")
    assert matcher.match("Camps near Dana, north of Idlib, flooded", "en")


def test_user_exclusions_veto() -> None:
    concept = build_user_concept(parse_add("Harem | not: sultan, palace"), {}, None)
    matcher = Matcher([concept])
    assert matcher.match("Shelling in Harem district", "en")
    assert not matcher.match("The sultan's harem in the palace", "en")


def test_translations_are_added_as_spellings() -> None:
    concept = build_user_concept(AddRequest("checkpoint"), {"ar": "حاجز", "ru": "блокпост", "tr": "kontrol noktası"},
                                 None)
    assert concept.terms["ar"] == ("حاجز",)
    assert Matcher([concept]).match("Блокпосты сняты", "ru")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("افتتاح مشفى في أريحا بريف إدلب", "ar", True),
        ("انتشار أمني فلسطيني في أريحا بالضفة الغربية", "ar", False),
        ("Suriye'nin Eriha kentinde pazar yeniden açıldı", "tr", True),
        ("Filistin polisi Eriha'da devriye attı", "tr", False),
        ("В сирийской Арихе открылась школа", "ru", True),
        ("Ariha hospital reopens in Idlib", "en", True),
        ("Ariha festival draws tourists", "en", False),
    ],
)
def test_ambiguous_place_needs_context(text: str, lang: str, expected: bool) -> None:
    concept = build_user_concept(AddRequest("Ariha"), {}, Gazetteer([JERICHO]).lookup("ariha"))
    assert bool(Matcher([concept]).match(text, lang)) is expected


def test_gazetteer_looks_up_any_spelling() -> None:
    gazetteer = Gazetteer([JERICHO])
    assert gazetteer.lookup("ERİHA") is JERICHO
    assert gazetteer.lookup("أريحا") is JERICHO
    assert gazetteer.lookup("Jericho") is None


def test_parse_places_validates() -> None:
    with pytest.raises(ValueError, match="context"):
        parse_places({"places": [{"key": "x", "ambiguous": "y", "names": {"en": ["X"]}}]})
    with pytest.raises(ValueError, match="language"):
        parse_places({"places": [{"key": "x", "names": {"fr": ["X"]}}]})
    (place,) = parse_places({"places": [{"key": "x", "label": "X", "names": {"en": ["X"]}}]})
    assert place.label == "X" and not place.ambiguous and place.scope == "town"


def test_parse_places_reads_and_validates_scope() -> None:
    (place,) = parse_places({"places": [{"key": "x", "scope": "region", "names": {"en": ["X"]}}]})
    assert place.scope == "region"
    with pytest.raises(ValueError, match=r"'x'.*scope.*'province'"):
        parse_places({"places": [{"key": "x", "scope": "province", "names": {"en": ["X"]}}]})
