"""Names outside the gazetteer compared across scripts by their consonant skeletons (bot/core/stories/names.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import fold
from bot.core.stories.clustering import Report, features_of
from bot.core.stories.names import skeleton, tied
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
    Place("kafr-takharim", "Kafr Takharim", {"ar": ("كفرتخاريم",), "en": ("Kafr Takharim",)}),
])


@pytest.mark.parametrize("spelling", ["Hmeimim", "Hmeymim", "Хмеймим", "حميميم"])
def test_a_skeleton_keeps_letters_repeated_across_a_vowel(spelling: str) -> None:
    assert skeleton(fold(spelling)) == "hmmm"


def _names(text: str, lang: str) -> frozenset[str]:
    return features_of(Report("x", "s", lang, T0, text), PLACES).title_names


def test_names_are_capitalised_unknown_words_and_runs_of_them() -> None:
    assert {"en:hmmm", "en:kfrlsn"} <= _names("Drones downed near Hmeimim; convoy at Kefer Lusin", "en")
    assert "ar:kfrlsn" in _names("رتل يدخل من معبر كفرلوسين", "ar")


def test_lexicon_words_gazetteer_names_and_everyday_names_are_no_names() -> None:
    found = _names("Shelling strikes Kafr Takharim in Idlib, Erdogan and the Observatory say", "en")
    assert found == frozenset()
    assert not _names("Hayat Tahrir al-Sham fighters", "en")


def test_names_tie_only_across_languages() -> None:
    assert tied(frozenset({"en:hmmm"}), frozenset({"ar:hmmm"}))
    assert not tied(frozenset({"ar:hmmm"}), frozenset({"ar:hmmm"}))  # Arabic words are all candidates
    assert not tied(frozenset({"en:hmmm"}), frozenset({"ru:hmsm"}))


def test_a_name_outside_the_gazetteer_ties_reports_in_three_scripts() -> None:
    replay = Replay(PLACES)
    reports = [Report("1", "tass.ru", "ru", T0, "ПВО авиабазы Хмеймим отразили атаку беспилотников"),
               Report("2", "aljazeera.net", "ar", T0 + timedelta(hours=2),
                      "روسيا تعلن إسقاط طائرات مسيرة قرب قاعدة حميميم"),
               Report("3", "reuters.com", "en", T0 + timedelta(hours=8),
                      "Russia says it downed drones near Hmeimim base")]
    ids = [replay.assign(item) for item in reports]
    assert ids == [ids[0]] * 3


def test_a_name_ties_nothing_a_day_later() -> None:
    replay = Replay(PLACES)
    first = replay.assign(Report("1", "tass.ru", "ru", T0, "ПВО авиабазы Хмеймим отразили атаку беспилотников"))
    later = replay.assign(Report("2", "reuters.com", "en", T0 + timedelta(hours=20),
                                 "Russia says it downed drones near Hmeimim base"))
    assert later != first


def test_a_listed_name_of_two_words_joins_no_neighbour() -> None:
    assert _names("Convoy Kafr Takharim Mastuma", "en") == {"en:mstm"}


def test_title_names_are_those_of_the_title_only() -> None:
    features = features_of(Report("x", "s", "en", T0, "Drones downed near Hmeimim", "A convoy crossed at Kefer Lusin."),
                           PLACES)
    assert "en:kfrlsn" in features.names
    assert "en:kfrlsn" not in features.title_names
    assert "en:hmmm" in features.title_names


def test_a_russian_adjective_of_a_listed_name_is_no_name() -> None:
    assert not _names("Удар в Идлибской зоне", "ru")
    assert _names("Удар у Хмеймима", "ru") == {"ru:hmmm"}
