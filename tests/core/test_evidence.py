"""Evidence weighing for ambiguous mentions: strong context against look-alike vetoes, vetoes that name
another road in the same sentence, the M4 corridor villages as context, and the held-out check set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.matching.evaluation import evaluate
from bot.core.matching.keywords import parse_concepts
from bot.core.matching.matcher import Matcher, entry_text
from bot.core.models import Concept, SentenceVeto

HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "matching_heldout.jsonl"
ROAD = Concept(
    key="road", label="road", ambiguous={"en": ("R9", "the coast road")},
    context={"en": ("Tarsia",)}, strong_context={"en": ("Velmor", "joint patrol")},
    vetoes={"en": ("Ostrava", "rally")},
    sentence_vetoes=(SentenceVeto(("the coast road",), {"en": ("R7",)}), SentenceVeto((), {"en": ("Danube",)})),
)


def matched(concept: Concept, text: str) -> bool:
    return bool(Matcher([concept]).match(text, "en"))


def test_strong_context_outweighs_a_single_veto() -> None:
    assert matched(ROAD, "Talks in Ostrava on a joint patrol along the R9")
    assert not matched(ROAD, "Talks in Ostrava about the R9 and Tarsia")  # 1 for, 1 against: the veto wins
    assert not matched(ROAD, "Ostrava rally on the R9 near Velmor")  # 2 for, 2 against


def test_a_product_named_outright_weighs_as_much_as_a_named_place() -> None:
    concept = Concept(key="m", label="m", ambiguous={"en": ("R9",)}, strong_context={"en": ("Velmor",)},
                      context={"en": ("Tarsia",)}, strong_vetoes={"en": ("Zentrix",)}, vetoes={"en": ("wafer",)})
    assert not matched(concept, "Zentrix R9 wafer on sale in Velmor and Tarsia")  # 3 for, 3 against
    assert matched(concept, "Zentrix R9 on sale in Velmor and Tarsia")  # 3 for, 2 against


def test_a_veto_inside_a_longer_context_phrase_does_not_count() -> None:
    concept = Concept(key="m", label="m", ambiguous={"en": ("R9",)}, context={"en": ("Ostrava accord",)},
                      vetoes={"en": ("Ostrava",)})
    assert matched(concept, "The Ostrava accord reopens the R9")


def test_a_sentence_veto_cancels_the_mention_of_its_own_sentence_only() -> None:
    assert not matched(ROAD, "The coast road near Velmor, also called the R7, is closed.")
    assert matched(ROAD, "The coast road near Velmor is closed. The R7 is open.")
    assert matched(ROAD, "The R9 and the R7 near Velmor are closed.")  # the veto applies to the coast road only
    assert not matched(ROAD, "The R9 along the Danube near Velmor is closed.")  # applies to every mention


def test_the_shipped_sentence_vetoes_name_only_ambiguous_phrases() -> None:
    data = {"concepts": [{"key": "k", "ambiguous": {"en": ["R9"]}, "context": {"en": ["Velmor"]},
                          "sentence_vetoes": [{"applies_to": ["R8"], "en": ["R7"]}]}]}
    with pytest.raises(ValueError, match="'R8' in 'applies_to' is not one of its ambiguous phrases"):
        parse_concepts(data)


def test_a_corridor_with_no_places_is_an_error() -> None:
    data = {"concepts": [{"key": "k", "corridor": "m9", "ambiguous": {"en": ["R9"]}, "context": {"en": ["x"]}}]}
    with pytest.raises(ValueError, match="no place of the gazetteer has corridor = 'm9'"):
        parse_concepts(data, [])


def test_concepts_with_weighing_survive_storage_round_trip() -> None:
    assert Concept.from_dict(json.loads(json.dumps(ROAD.to_dict()))) == ROAD


@pytest.mark.parametrize(
    ("text", "lang"),
    [("قصف يطال قرية فريكة قرب طريق M4", "ar"), ("Mabruka köyü yakınında M4 yolu kapandı", "tr"),
     ("Перестрелка у Мабруки на трассе М4", "ru"), ("Clashes near Umm al-Kaif on the M4", "en")],
)
def test_a_corridor_village_is_context_for_the_m4(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "m4" in {m.concept.key for m in builtin_matcher.match(text, lang)}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("الطريق الدولي M5 قرب خان شيخون مغلق", "ar"), ("The international highway M5 near Hama is closed", "en")],
)
def test_the_international_road_named_as_the_m5_is_not_the_m4(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "m4" not in {m.concept.key for m in builtin_matcher.match(text, lang)}


def test_the_m4_and_the_m5_named_together_is_the_m4(builtin_matcher: Matcher) -> None:
    assert "m4" in {m.concept.key for m in builtin_matcher.match("إغلاق طريقي M4 و M5 في ريف إدلب", "ar")}


def test_held_out_set_per_language(builtin_matcher: Matcher) -> None:
    """Sentences written for these tests (not the dev corpus), with hard negatives, in four languages."""
    items = [json.loads(line) for line in HELD_OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    scores = evaluate(items, lambda item: bool(builtin_matcher.match(
        entry_text(item["title"], item["summary"]), item["lang"])), lambda item: item["relevant"])
    assert set(scores) == {"all", "ar", "tr", "ru", "en"}
    for lang, score in scores.items():
        assert score.precision >= 0.98 and score.recall >= 0.98, (lang, score.errors)
