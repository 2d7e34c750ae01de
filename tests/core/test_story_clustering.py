"""Story clustering rules: cross-language merges, near-miss splits, window expiry, numbers and ordinals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.matching.places import REGION, Place
from bot.core.stories.clustering import (
    WINDOW,
    Report,
    StoryFeatures,
    StoryRecord,
    absorb,
    choose_story,
    features_of,
)
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
    Place("telkhan", "Tel Khan", {"ar": ("تل خان",), "tr": ("Telhan",), "ru": ("Тель-Хан",), "en": ("Tel Khan",)}),
    Place("bazra", "Bazra", {"ar": ("بزرة",), "tr": ("Bezre",), "ru": ("Базра",), "en": ("Bazra",)}),
])


def report(key: str, lang: str, title: str, summary: str = "", *, hours: float = 0, source: str = "",
           pivot: str | None = None) -> Report:
    return Report(key=key, source=source or f"outlet-{key}.example", lang=lang,
                  published=T0 + timedelta(hours=hours), title=title, summary=summary, pivot=pivot)


def stories_of(*reports: Report) -> list[int]:
    replay = Replay(PLACES)
    return [replay.assign(item) for item in reports]


def test_one_shelling_reported_in_four_languages_is_one_story() -> None:
    ids = stories_of(
        report("1", "ar", "قصف مدفعي على بلدة تل خان بريف إدلب", "قتيلان وثلاثة جرحى"),
        report("2", "tr", "İdlib'in Telhan beldesine topçu saldırısı: 2 ölü", hours=1.5),
        report("3", "ru", "Артиллерийский обстрел Тель-Хана в Идлибе: двое погибших", hours=3),
        report("4", "en", "Artillery shelling kills two in Tel Khan, Idlib", hours=5),
    )
    assert len(set(ids)) == 1


def test_the_same_kind_of_incident_in_two_towns_on_one_day_is_two_stories() -> None:
    ids = stories_of(
        report("1", "en", "Artillery shelling hits Tel Khan in Idlib countryside"),
        report("2", "en", "Artillery shelling hits Bazra in Idlib countryside", hours=2),
        report("3", "tr", "Bezre'ye topçu saldırısı", hours=3),
    )
    assert ids[0] != ids[1]
    assert ids[2] == ids[1]


def test_the_same_incident_in_one_town_on_consecutive_days_is_two_stories() -> None:
    ids = stories_of(
        report("1", "en", "Artillery shelling hits Tel Khan in Idlib", "Two civilians were wounded."),
        report("2", "ar", "قصف مدفعي على تل خان", hours=3),
        report("3", "en", "Artillery shelling hits Tel Khan in Idlib again", "A shop was damaged.", hours=26),
    )
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_different_kinds_of_incident_in_one_town_are_two_stories() -> None:
    ids = stories_of(
        report("1", "en", "Car bomb explodes in Tel Khan market"),
        report("2", "en", "Drone strike hits a car near Tel Khan", hours=1),
    )
    assert ids[0] != ids[1]


def test_a_kind_of_incident_and_a_region_alone_do_not_merge() -> None:
    ids = stories_of(
        report("1", "en", "Car bomb explodes in Idlib"),
        report("2", "tr", "İdlib'de bombalı araç saldırısı", hours=2),
    )
    assert ids[0] != ids[1]


def test_different_ordinals_split_and_the_same_ordinal_joins() -> None:
    ids = stories_of(
        report("1", "ru", "Четвертое совместное патрулирование прошло в Идлибе"),
        report("2", "en", "Fourth joint patrol held in Idlib", hours=2),
        report("3", "tr", "İdlib'de 5. ortak devriye yapıldı", hours=4),
    )
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_different_weekdays_split_reports_that_agree_otherwise() -> None:
    ids = stories_of(
        report("1", "en", "Artillery shelling hits Tel Khan", "The shelling on Monday wounded two."),
        report("2", "en", "Artillery shelling hits Tel Khan", "The shelling on Tuesday wounded two.", hours=20),
    )
    assert ids[0] != ids[1]


def test_a_shared_count_anchors_reports_that_name_only_a_region() -> None:
    ids = stories_of(
        report("1", "tr", "BM'nin 38 tırlık insani yardım konvoyu İdlib'e ulaştı"),
        report("2", "ar", "38 شاحنة مساعدات أممية تدخل إدلب", hours=2),
        report("3", "ar", "12 شاحنة مساعدات أممية تدخل إدلب", hours=3),
    )
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_a_report_past_the_window_of_its_story_starts_another() -> None:
    hours = WINDOW.total_seconds() / 3600 + 1
    ids = stories_of(
        report("1", "en", "Artillery shelling hits Tel Khan in Idlib"),
        report("2", "en", "Artillery shelling hits Tel Khan in Idlib", hours=hours),
    )
    assert ids[0] != ids[1]


def test_the_replay_forgets_stories_past_the_window() -> None:
    replay = Replay(PLACES)
    replay.assign(report("1", "en", "Artillery shelling hits Tel Khan in Idlib"))
    replay.assign(report("2", "en", "Car bomb explodes in Bazra", hours=40))
    assert len(replay.open_stories) == 1


def test_an_english_pivot_lets_reports_in_other_languages_meet_by_wording() -> None:
    pivot = "Protesters block the highway near Tel Khan\nHundreds of protesters blocked the road demanding the release"
    english = report("1", "en", "Protesters block the highway near Tel Khan",
                     "Hundreds of protesters blocked the road demanding the release of detainees")
    arabic = report("2", "ar", "محتجون يقطعون الطريق", "مئات المحتجين طالبوا بالإفراج عن المعتقلين", hours=1,
                    pivot=pivot)
    without = report("3", "ar", "محتجون يقطعون الطريق", "مئات المحتجين طالبوا بالإفراج عن المعتقلين", hours=1)
    assert stories_of(english, arabic)[1] == 1
    assert stories_of(english, without)[1] != 1


def test_the_same_outlet_needs_more_to_join_than_another_outlet() -> None:
    first = report("1", "en", "Artillery shelling hits Tel Khan in Idlib", source="same.example")
    other = report("2", "tr", "Telhan'a topçu saldırısı", hours=2, source="other.example")
    same = report("3", "tr", "Telhan'a topçu saldırısı", hours=2, source="same.example")
    story = StoryRecord(1, first.published, first.published, features_of(first, PLACES),
                        frozenset({first.source}), frozenset({"en"}))
    assert choose_story(other, features_of(other, PLACES), [story]) == 1
    assert choose_story(same, features_of(same, PLACES), [story]) is None


def test_the_best_agreeing_story_wins() -> None:
    shelling = report("1", "en", "Artillery shelling hits Tel Khan in Idlib")
    bombing = report("2", "en", "Car bomb in Tel Khan kills 4", hours=1)
    stories = [StoryRecord(n, item.published, item.published, features_of(item, PLACES), frozenset({item.source}),
                           frozenset({"en"})) for n, item in ((1, shelling), (2, bombing))]
    later = report("3", "ar", "4 قتلى بانفجار سيارة مفخخة في تل خان", hours=2)
    assert choose_story(later, features_of(later, PLACES), stories) == 2


@pytest.mark.parametrize("text, lang, expected", [
    ("Russian warplanes carried out an air strike", "en", {"airstrike"}),
    ("غارات للطيران الحربي الروسي", "ar", {"airstrike"}),
    ("Rus savaş uçakları bombaladı", "tr", {"airstrike"}),
    ("Бойцы отбили атаку; авиаудар нанесен", "ru", {"fighting", "airstrike"}),
    ("Kazandı", "tr", set()),
    ("قافلة مساعدات", "ar", {"aid"}),
])
def test_event_kinds_are_read_in_each_language(text: str, lang: str, expected: set[str]) -> None:
    assert features_of(report("1", lang, text)).events == expected


def test_numbers_ordinals_and_weekdays_are_read_and_clock_times_and_years_are_not() -> None:
    features = features_of(report("1", "en", "Third convoy of 2026 on Friday at 10:30: 25 trucks and two tankers"))
    assert features.numbers == {25, 2}
    assert features.ordinals == {3}
    assert features.weekdays == {"fri"}
    turkish = features_of(report("2", "tr", "4. ortak devriye Cuma günü yapıldı"))
    assert turkish.ordinals == {4}
    assert turkish.weekdays == {"fri"}


def test_places_are_read_in_any_spelling_and_split_into_towns_and_regions() -> None:
    features = features_of(report("1", "tr", "İdlib'in Telhan beldesinde ve Bezre'de"), PLACES)
    assert features.towns == {"telkhan", "bazra"}
    assert features.regions == {"idlib"}
    assert features_of(report("2", "ar", "قصف على بلدة تل خان"), PLACES).towns == {"telkhan"}


def test_features_survive_a_json_round_trip_and_old_rows_read_as_empty() -> None:
    features = features_of(report("1", "ar", "قتيلان بقصف مدفعي على تل خان يوم الجمعة", "الرابعة", source="x"),
                           PLACES)
    assert StoryFeatures.from_json(features.to_json()) == features
    assert features.towns and features.numbers and features.weekdays and features.ordinals
    assert StoryFeatures.from_json({"links": ["a"], "numbers": ["x", 3]}) == StoryFeatures(
        links=frozenset({"a"}), numbers=frozenset({3}))


def test_absorb_keeps_the_union_of_features() -> None:
    first = report("1", "en", "Artillery shelling hits Tel Khan")
    second = report("2", "tr", "Telhan'a topçu saldırısı: 3 ölü", hours=1)
    story = StoryRecord(1, first.published, first.published, features_of(first, PLACES), frozenset({first.source}),
                        frozenset({"en"}))
    grown = absorb(story, second, features_of(second, PLACES))
    assert grown.features.numbers == {3}
    assert grown.features.towns == {"telkhan"}
    assert grown.languages == {"en", "tr"}


def test_a_town_named_in_passing_does_not_pull_a_report_into_that_towns_story() -> None:
    ids = stories_of(
        report("1", "en", "Car bomb explodes in Bazra", "Three people were killed in Bazra."),
        report("2", "en", "Motorcycle bomb explodes in Idlib city", "The blast came a day after the Bazra bombing.",
               hours=20),
    )
    assert ids[0] != ids[1]


def test_a_region_written_as_its_city_is_a_town_of_its_own() -> None:
    city = features_of(report("1", "ar", "انفجار في مدينة إدلب"), PLACES)
    assert city.towns == {"idlib:city"} and city.regions == {"idlib"}
    assert features_of(report("2", "en", "Blast in Idlib city"), PLACES).towns == {"idlib:city"}
    assert features_of(report("3", "ar", "حريق في سوق وسط إدلب"), PLACES).towns == {"idlib:city"}
    assert features_of(report("4", "en", "Fire in downtown Idlib"), PLACES).towns == {"idlib:city"}
    assert features_of(report("5", "en", "Fire in a market in Idlib"), PLACES).towns == frozenset()
    assert features_of(report("3", "en", "Blast in Idlib countryside"), PLACES).towns == set()


def test_a_report_naming_only_a_region_joins_the_one_open_story_of_its_kind_soon_after() -> None:
    ids = stories_of(
        report("1", "en", "Turkish military convoy enters Idlib through Tel Khan"),
        report("2", "ru", "Турецкая колонна вошла в Идлиб", hours=3),
        report("3", "tr", "Türk askeri konvoyu İdlib'e girdi", hours=14),
    )
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]


def test_a_report_naming_only_a_region_joins_nothing_when_two_stories_of_its_kind_are_open() -> None:
    ids = stories_of(
        report("1", "en", "Turkish military convoy enters Idlib through Tel Khan"),
        report("2", "en", "Turkish military convoy reaches Bazra in Idlib", hours=1),
        report("3", "ru", "Турецкая колонна вошла в Идлиб", hours=3),
    )
    assert len(set(ids)) == 3


def test_large_counts_near_each_other_agree_and_far_apart_split() -> None:
    ids = stories_of(
        report("1", "ar", "رتل تركي يضم 50 آلية يدخل إدلب عبر تل خان"),
        report("2", "en", "Turkish convoy of 60 vehicles enters Idlib at Tel Khan", hours=2),
        report("3", "en", "Turkish convoy of 12 vehicles enters Idlib at Tel Khan", hours=3),
    )
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_the_highway_codes_are_regions_in_every_script() -> None:
    for lang, title in (("en", "Patrol on the M4"), ("ru", "Патруль на трассе М4"), ("ar", "دورية على طريق M4")):
        assert features_of(report("1", lang, title), PLACES).regions == {"road:m4"}


def test_a_region_only_report_of_a_convoy_bombing_is_not_confused_with_a_convoy_that_only_passed() -> None:
    ids = stories_of(
        report("1", "en", "Turkish military convoy enters Idlib through Bazra"),
        report("2", "en", "Bomb hits Turkish convoy near Tel Khan in Idlib", hours=1),
        report("3", "ru", "В Идлибе подорвали турецкую колонну", hours=3),
    )
    assert ids[2] == ids[1] != ids[0]


def test_a_region_only_report_of_a_rare_kind_joins_the_one_such_story_without_a_shared_actor() -> None:
    ids = stories_of(
        report("1", "en", "Earthquake felt in Idlib", "Residents ran into the streets."),
        report("2", "tr", "İdlib'de deprem", "Sarsıntı kısa sürdü.", hours=1),
        report("3", "ru", "В Идлибе произошло землетрясение", hours=26),
    )
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]  # a day later a region-only report needs more than the kind


def test_an_older_story_of_the_kind_that_agrees_far_less_does_not_block_a_region_only_report() -> None:
    ids = stories_of(
        report("1", "en", "Car bomb explodes in Tel Khan market in Idlib"),
        report("2", "en", "Bomb hits Turkish soldiers near Bazra in Idlib", hours=18),
        report("3", "tr", "İdlib'de Türk askerlerine bombalı saldırı", hours=20),
    )
    assert ids[0] != ids[1]
    assert ids[2] == ids[1]


def test_a_toll_that_rose_joins_its_story_the_next_morning_where_a_new_report_would_not() -> None:
    ids = stories_of(
        report("1", "en", "Car bomb kills five in Tel Khan market in Idlib", "Twenty people were wounded."),
        report("2", "ar", "ارتفاع حصيلة تفجير تل خان إلى سبعة قتلى", hours=16),
        report("3", "ar", "تفجير في سوق تل خان", hours=17),
    )
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]


def test_a_denial_naming_only_a_region_joins_the_story_it_denies_hours_later() -> None:
    ids = stories_of(
        report("1", "en", "Russian air strikes hit Tel Khan in Idlib"),
        report("2", "ru", "Минобороны России опровергло сообщения об авиаударах в Идлибе", hours=18),
        report("3", "tr", "Rus savaş uçakları İdlib'e hava saldırısı düzenledi", hours=18),
    )
    assert ids[1] == ids[0]
    assert ids[2] != ids[0]


def test_a_rare_kind_keeps_its_ties_a_day_long_where_a_daily_kind_does_not() -> None:
    ids = stories_of(
        report("1", "en", "Cholera: 14 cases confirmed in Idlib camps"),
        report("2", "tr", "İdlib'deki kamplarda 14 kolera vakası", hours=16),
        report("3", "en", "Shelling wounds 14 in Idlib countryside", hours=1),
        report("4", "tr", "İdlib kırsalına topçu saldırısı: 14 yaralı", hours=17),
    )
    assert ids[1] == ids[0]
    assert ids[3] != ids[2]


def test_a_convoy_read_with_a_patrol_or_aid_is_that_patrol_or_aid() -> None:
    column = features_of(report("1", "ru", "Подорвана российско-турецкая колонна",
                                "Взрыв произошел во время совместного патрулирования у Тель-Хана."), PLACES)
    assert column.title_events == {"bombing", "patrol"}
    military = features_of(report("2", "en", "Turkish military convoy enters Idlib"), PLACES)
    assert military.title_events == {"convoy"}


def test_an_attack_on_a_patrol_is_one_story_whether_a_title_says_patrol_or_column() -> None:
    ids = stories_of(
        report("1", "ru", "Подорвана российско-турецкая колонна у Тель-Хана",
               "Взрыв произошел во время совместного патрулирования."),
        report("2", "tr", "Telhan'da Türk-Rus ortak devriyesine saldırı", "Devriye sırasında patlama oldu.", hours=1),
    )
    assert ids[1] == ids[0]


def test_a_region_only_report_of_a_rare_kind_naming_other_parties_starts_its_own_story() -> None:
    ids = stories_of(
        report("1", "en", "Turkish defence minister visits troops on the Idlib border"),
        report("2", "ar", "المبعوث الأممي في زيارة لمخيمات إدلب", hours=2),
    )
    assert ids[1] != ids[0]
