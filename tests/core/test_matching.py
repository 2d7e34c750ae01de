"""The built-in concepts on sentences written for these tests, in all four languages."""

from __future__ import annotations

import pytest

from bot.core.matching.matcher import Matcher, SubscriptionMatcher, entry_text
from bot.core.models import Concept, SubscriberKeyword


def keys(matcher: Matcher, text: str, lang: str) -> set[str]:
    return {m.concept.key for m in matcher.match(text, lang)}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("غارات جوية على ريف إدلب الجنوبي", "ar"),
        ("وصول قافلة مساعدات إلى مخيمات شمال غربي سوريا قادمة من باب الهوى بإدلب", "ar"),
        ("الدفاع المدني الإدلبي يخمد حريقًا", "ar"),
        ("وفي إِدْلِبَ، قال مسؤولون إن المدارس ستفتح", "ar"),
        ("İDLİB'DE GERGİNLİK SÜRÜYOR", "tr"),
        ("İdlibli çiftçiler hasada başladı", "tr"),
        ("Idlib kırsalında çatışma", "tr"),
        ("В Идлибе возобновились обстрелы", "ru"),
        ("Жители идлибской деревни получили помощь", "ru"),
        ("Ситуация вокруг Идлиба обостряется", "ru"),
        ("ИДЛИБСКИЕ беженцы получили помощь", "ru"),
        ("Clashes erupt in Idleb province", "en"),
        ("IDLIB'S hospitals under strain", "en"),
        ("Edlib residents return home", "en"),
    ],
)
def test_idlib_in_every_language_and_form(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "idlib" in keys(builtin_matcher, text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("دورية روسية تركية على طريق M4 قرب أريحا", "ar"),
        ("إغلاق أوتوستراد م٤ قرب سراقب", "ar"),
        ("حوادث على طريق حلب - اللاذقية الدولي", "ar"),
        ("إغلاق الطريق الدولي قرب سراقب بسبب الاشتباكات", "ar"),
        ("انفجار عبوة على طريق إم 4 في سوريا", "ar"),
        ("Türk ve Rus askerleri M4 karayolunda ortak devriye yaptı", "tr"),
        ("Halep-Lazkiye karayolu trafiğe açıldı", "tr"),
        ("Российская военная полиция патрулирует трассу М-4 в Сирии", "ru"),
        ("Движение по автодороге Алеппо — Латакия восстановлено", "ru"),
        ("Rebels shell the M-4 highway south of Aleppo", "en"),
        ("The Aleppo-Latakia highway reopened to trucks", "en"),
        ("Joint patrols resumed on the M4 motorway in Syria", "en"),
    ],
)
def test_syrian_m4_with_context(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "m4" in keys(builtin_matcher, text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Apple unveils the M4 chip in a new iPad Pro", "en"),
        ("BMW M4 Competition review: 503 horsepower", "en"),
        ("M4 carbine upgrade for US Army rifles", "en"),
        ("Roadworks close the M4 motorway near Cardiff", "en"),
        ("Traffic jam on the M4 between London and Reading", "en"),
        ("Пробка на трассе М-4 «Дон» под Воронежем", "ru"),
        ("Ремонт трассы М-4 «Дон» в Ростовской области", "ru"),
        ("الطريق الدولي بين عمّان والعقبة مغلق", "ar"),
        ("Новый MacBook на чипе M4 поступил в продажу", "ru"),
        ("Apple M4 işlemcili MacBook Pro tanıtıldı", "tr"),
        ("Yeni BMW M4 Türkiye'de satışta", "tr"),
        ("آبل تطلق معالج M4 الجديد", "ar"),
        ("باكستان تفتتح جزءًا من طريق M4 قرب لاهور", "ar"),
        ("M40 motorway closure near Oxford", "en"),
        ("AM4 socket motherboards on sale", "en"),
        ("The M4A1 rifle remains in service", "en"),
    ],
)
def test_look_alikes_are_not_the_syrian_m4(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert keys(builtin_matcher, text, lang) == set()


def test_m4_alone_is_ambiguous(builtin_matcher: Matcher) -> None:
    assert keys(builtin_matcher, "The M4 reopened on Tuesday", "en") == set()


def test_idlib_never_matches_inside_another_word(builtin_matcher: Matcher) -> None:
    assert keys(builtin_matcher, "Unidlibrary and idlibertarian are not places", "en") == set()


def test_lists_across_commas_are_not_the_highway(builtin_matcher: Matcher) -> None:
    assert keys(builtin_matcher, "Prices rose in Aleppo, Latakia and Homs", "en") == set()


def test_matches_quote_the_original_words(builtin_matcher: Matcher) -> None:
    (match,) = builtin_matcher.match("Shelling reported near İdlib's eastern edge", "en")
    assert match.quotes == ("İdlib's",)
    assert "İdlib's" in match.reason


def test_summary_is_read_and_title_does_not_run_into_it(builtin_matcher: Matcher) -> None:
    assert keys(builtin_matcher, entry_text("Turkey halts patrols", "Patrols on the M4 in Syria stopped"),
                "en") == {"m4"}
    assert keys(builtin_matcher, entry_text("News from Aleppo", "Latakia port expands"), "en") == set()


def test_subscription_matcher_routes_to_the_right_chats() -> None:
    saraqib = Concept(key="user:saraqib", label="Saraqib", terms={"en": ["Saraqib"], "ar": ["سراقب"]})
    ariha = Concept(key="user:ariha", label="Ariha", terms={"en": ["Ariha"]})
    routed = SubscriptionMatcher([
        SubscriberKeyword(1, saraqib), SubscriberKeyword(2, saraqib), SubscriberKeyword(3, ariha),
    ]).route("قصف على مدينة سراقب", "", "ar")
    assert sorted(routed) == [1, 2]
    assert routed[1][0].concept.label == "Saraqib"
    assert routed[1][0].quotes == ("سراقب",)


def test_a_user_term_in_latin_letters_matches_turkish_inflections() -> None:
    matcher = Matcher([Concept(key="user:serakib", label="Serakib", terms={"tr": ["Serakib"]})])
    assert matcher.match("Serakib'te çatışma", "tr")
    assert matcher.match("Serakibli aileler", "tr")
