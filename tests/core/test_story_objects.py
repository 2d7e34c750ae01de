"""What a protest's title names as opposed is not its kind of incident (bot/core/stories/objects.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.clustering import Report, features_of
from bot.core.stories.objects import unopposed
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
])


def _kept(title: str, lang: str) -> list[str]:
    kept, _ = unopposed(tokenize(title), lang)
    return [token.norm for token in kept]


def test_words_after_a_word_of_opposition_are_dropped_to_the_next_punctuation() -> None:
    assert _kept("Crowds rally against Russian patrols, police say", "en") == ["crowds", "rally", "police", "say"]
    assert _kept("Митинг против патрулей в Идлибе", "ru") == ["митинг"]
    assert _kept("وقفة في إدلب ورفضا للدوريات", "ar") == ["وقفه", "في", "ادلب"]


def test_turkish_names_what_is_opposed_before_the_postposition() -> None:
    assert _kept("İdlib'de Rus devriyelerine karşı eylem", "tr") == ["eylem"]


def test_a_title_without_opposition_is_kept_whole() -> None:
    kept, opposed = unopposed(tokenize("Russian patrol on the M4"), "en")
    assert not opposed and len(kept) == 5


def test_a_protest_against_patrols_is_about_a_protest() -> None:
    report = Report("1", "a.com", "en", T0, "Idlib residents reject Russian patrols",
                    "Hundreds demonstrated in Idlib on Friday.")
    assert features_of(report, PLACES).title_events == frozenset({"protest"})


def test_opposition_outside_a_protest_keeps_the_title_kinds() -> None:
    report = Report("1", "a.com", "en", T0, "Bomb attack against Turkish patrol in Idlib",
                    "An explosive device hit the patrol.")
    assert "patrol" in features_of(report, PLACES).title_events


def test_a_report_rejecting_patrols_joins_the_protest_not_the_patrol() -> None:
    replay = Replay(PLACES)
    patrol = replay.assign(Report("1", "tass.ru", "ru", T0, "Российские военные провели патрулирование в Идлибе",
                                  "Российская военная полиция провела патрулирование в провинции Идлиб."))
    protest = replay.assign(Report("2", "a.com", "ar", T0 + timedelta(hours=1), "مظاهرة في إدلب ضد الاحتلال الروسي",
                                   "تظاهر مئات من أهالي مدينة إدلب يوم الجمعة ضد الوجود الروسي."))
    later = replay.assign(Report("3", "b.com", "ar", T0 + timedelta(hours=2), "أهالي إدلب يرفضون الدوريات الروسية",
                                 "تظاهر مئات من أهالي مدينة إدلب يوم الجمعة ضد مرور الدوريات الروسية."))
    assert patrol != protest
    assert later == protest
