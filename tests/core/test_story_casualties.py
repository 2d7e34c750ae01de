"""A soldier killed or wounded, told without how (bot/core/stories/casualties.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import tokenize
from bot.core.stories.affinity import affinity
from bot.core.stories.casualties import CASUALTY, casualty
from bot.core.stories.clustering import Report, StoryRecord, features_of
from bot.core.stories.evidence import event_kinds
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay
from bot.core.stories.stems import words_of

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
    Place("town", "Qaryat", {"ar": ("قرية",), "tr": ("Karyat",), "ru": ("Карьят",), "en": ("Qaryat",)}),
])


def _kinds(text: str, lang: str) -> frozenset[str]:
    words = words_of(tokenize(text), lang)
    return casualty(words, lang, event_kinds(words, lang))


def test_a_soldier_killed_or_wounded_without_how_is_a_casualty() -> None:
    assert _kinds("İdlib'den acı haber: 1 şehit, 2 yaralı", "tr") == {CASUALTY}
    assert _kinds("Turkish soldier killed, two wounded in Idlib", "en") == {CASUALTY}
    assert _kinds("مقتل جندي تركي وإصابة اثنين في إدلب", "ar") == {CASUALTY}
    assert _kinds("В Идлибе погиб турецкий военный", "ru") == {CASUALTY}


def test_a_civilian_or_a_soldier_unharmed_is_no_casualty() -> None:
    assert _kinds("Woman killed in Idlib", "en") == frozenset()
    assert _kinds("Turkish soldiers deployed in Idlib", "en") == frozenset()


def test_a_report_that_says_how_keeps_its_kind() -> None:
    assert _kinds("Turkish soldier killed in shelling in Idlib", "en") == {"shelling"}
    report = Report("1", "a.com", "en", T0, "Turkish soldier killed in Idlib", "The soldier died in a rocket attack.")
    features = features_of(report, PLACES)
    assert features.events == {"shelling"}
    assert features.title_events == frozenset()  # what it is about is its summary's (affinity.about)


def test_reports_of_one_loss_join_one_story() -> None:
    replay = Replay(PLACES)
    first = replay.assign(Report("1", "aa.com.tr", "tr", T0, "İdlib'den acı haber: 1 şehit, 2 yaralı",
                                 "Milli Savunma Bakanlığı, İdlib'de 1 askerin şehit olduğunu açıkladı."))
    later = replay.assign(Report("2", "reuters.com", "en", T0 + timedelta(hours=1),
                                 "Turkish soldier killed, two wounded in Syria's Idlib",
                                 "One Turkish soldier was killed in Idlib, the defence ministry said."))
    assert later == first


def test_a_casualty_joins_no_strike_without_an_anchor_and_vetoes_none_with_one() -> None:
    replay = Replay(PLACES)
    strike = replay.assign(Report("1", "a.com", "en", T0, "Turkish drone strike kills two in Idlib",
                                  "A Turkish drone hit a car in Idlib, killing two."))
    loss = replay.assign(Report("2", "b.com", "en", T0 + timedelta(hours=1),
                                "Turkish soldier killed, two wounded in Idlib",
                                "One Turkish soldier was killed and two wounded in Idlib."))
    assert loss != strike
    bomb = Report("1", "a.com", "en", T0, "Bomb kills Turkish soldier in Qaryat, Idlib",
                  "A roadside bomb hit a Turkish vehicle in Qaryat, killing a soldier.")
    same = Report("2", "b.com", "tr", T0 + timedelta(hours=1), "Karyat'ta 1 asker şehit oldu",
                  "İdlib'in Karyat beldesinde 1 asker şehit oldu.")
    story = StoryRecord(1, T0, T0, features_of(bomb, PLACES))
    assert features_of(same, PLACES).events == {CASUALTY}
    agreement = affinity(same, features_of(same, PLACES), story)
    assert agreement is not None and agreement.anchored  # no veto: a bombing story may take it on a town


def test_losses_of_other_counts_are_two_stories() -> None:
    replay = Replay(PLACES)
    first = replay.assign(Report("1", "aa.com.tr", "tr", T0, "İdlib'den acı haber: 1 şehit, 2 yaralı",
                                 "Milli Savunma Bakanlığı, İdlib'de 1 askerin şehit olduğunu, 2 askerin yaralandığını "
                                 "açıkladı."))
    other = replay.assign(Report("2", "reuters.com", "en", T0 + timedelta(hours=3),
                                 "Three Turkish soldiers wounded in Syria's Idlib",
                                 "Three Turkish soldiers were wounded in Idlib, the defence ministry said."))
    assert other != first
