"""Each inflection rule measured on word lists written for it: the forms it must join to their keyword,
and the look-alike words it must leave apart (precision)."""

from __future__ import annotations

import pytest

from bot.core.matching.matcher import Matcher
from bot.core.matching.morphology import BROKEN_PLURALS
from bot.core.matching.text import fold, tokenize
from bot.core.models import Concept


def joined(keyword: str, text: str, lang: str) -> bool:
    """Whether a user keyword `keyword` is found in `text` written in `lang`."""
    return bool(Matcher([Concept(key="k", label=keyword, terms={lang: (keyword,)})]).match(text, lang))


ARABIC_SOUND_PLURALS_AND_DUALS = [
    ("دورية", "الدوريات"), ("دورية", "دوريتان"), ("دورية", "بدوريتين"), ("مقاتل", "المقاتلين"),
    ("مقاتل", "مقاتلون"), ("نازح", "للنازحين"), ("اشتباك", "اشتباكات"), ("انفجار", "الانفجارات"),
    ("غارة", "غارات"), ("طائرة مسيرة", "طائرات مسيرة"), ("عبوة", "العبوات"), ("سيارة", "بسيارات"),
    ("الدوريات المشتركة", "دورية مشتركة"), ("اشتباكات", "اشتباك"),
]
ARABIC_BROKEN_PLURALS = [
    ("بندقية", "بنادق"), ("لغم", "الألغام"), ("قذيفة", "القذائف"), ("حاجز", "حواجز"), ("معبر", "المعابر"),
    ("قافلة", "قوافل"), ("صاروخ", "بصواريخ"), ("خيمة", "الخيام"), ("فرن", "أفران"), ("مخبز", "المخابز"),
    ("زلزال", "الزلازل"), ("ألغام", "لغم"), ("جريح", "الجرحى"), ("قتيل", "قتلى"),
]
ARABIC_APART = [
    ("زيت", "زيتون"), ("لبن", "لبنان"), ("سلط", "سلطان"), ("عمر", "عمران"), ("جبر", "جبران"), ("غارات", "غار"),
    ("بندقية", "بند"), ("لغم", "لغة"),
]
ENGLISH_VERB_FORMS = [
    ("patrol", "patrolled"), ("patrol", "patrolling"), ("shell", "shelling"), ("bomb", "bombed"),
    ("evacuate", "evacuated"), ("evacuate", "evacuating"), ("displace", "displaced"), ("kidnap", "kidnapped"),
    ("landmine", "landmines"), ("casualty", "casualties"), ("supply", "supplied"), ("landmines", "landmine"),
    ("checkpoints", "checkpoint"), ("ceasefire", "ceasefires"),
]
ENGLISH_APART = [("sing", "s"), ("camp", "campaign"), ("aid", "said"), ("patrol", "petrol"), ("shell", "shall"),
                 ("mine", "minister")]
TURKISH_FORMS = [
    ("karayolu", "karayolları"), ("karayolu", "karayolunda"), ("karayolu", "karayollarında"),
    ("devriye", "devriyeleri"), ("mayın", "mayınlı"), ("mayın", "mayınlarla"), ("sokak", "sokağı"),
    ("kamp", "kamplarda"), ("yardım", "yardımları"), ("ateşkes", "ateşkesi"), ("çatışma", "çatışmalarda"),
    ("saldırı", "saldırıları"), ("kontrol noktası", "kontrol noktalarında"), ("kontrol noktası", "kontrol noktasında"),
]
TURKISH_APART = [("kamp", "kampanya"), ("mayın", "mayıs"), ("ateş", "ateşkes"), ("devriye", "devir")]
RUSSIAN_SHORT_FORMS = [("Иса", "Исы"), ("Хама", "Хаме"), ("Хама", "Хамой"), ("Айн-Иса", "у Айн-Исы"), ("мина", "мины")]
RUSSIAN_APART = [("Хама", "хам"), ("Иса", "Исаакий"), ("мина", "минус")]


def _score(pairs: list[tuple[str, str]], lang: str) -> float:
    return sum(joined(keyword, text, lang) for keyword, text in pairs) / len(pairs)


@pytest.mark.parametrize(
    ("pairs", "lang"),
    [(ARABIC_SOUND_PLURALS_AND_DUALS, "ar"), (ARABIC_BROKEN_PLURALS, "ar"), (ENGLISH_VERB_FORMS, "en"),
     (TURKISH_FORMS, "tr"), (RUSSIAN_SHORT_FORMS, "ru")],
    ids=["arabic-sound-plurals-duals", "arabic-broken-plurals", "english-verbs", "turkish", "russian-short"],
)
def test_every_listed_form_reaches_its_keyword(pairs: list[tuple[str, str]], lang: str) -> None:
    missed = [pair for pair in pairs if not joined(*pair, lang)]
    assert not missed, f"recall {_score(pairs, lang):.2f}; missed {missed}"


@pytest.mark.parametrize(
    ("pairs", "lang"),
    [(ARABIC_APART, "ar"), (ENGLISH_APART, "en"), (TURKISH_APART, "tr"), (RUSSIAN_APART, "ru")],
    ids=["arabic", "english", "turkish", "russian"],
)
def test_look_alike_words_stay_apart(pairs: list[tuple[str, str]], lang: str) -> None:
    leaked = [pair for pair in pairs if joined(*pair, lang)]
    assert not leaked, f"joined words that are not forms of each other: {leaked}"


def test_the_broken_plural_table_is_written_folded() -> None:
    for singular, plurals in BROKEN_PLURALS.items():
        for word in (singular, *plurals):
            assert fold(word) == word, word


@pytest.mark.parametrize(
    ("text", "lang"),
    [("معرض يستذكر الروائية ألفة الإدلبي", "ar"), ("سجل محمد الإدلبي هدفين", "ar"), ("الإدلبي يوقع لنادٍ جديد", "ar"),
     ("Novelist Ulfat al-Idlibi remembered", "en"), ("Romancı Ulfet el-İdlibi anıldı", "tr"),
     ("Писательница Ульфат аль-Идлиби", "ru")],
)
def test_a_surname_is_not_the_town(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "idlib" not in {m.concept.key for m in builtin_matcher.match(text, lang)}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("قصف على الريف الإدلبي", "ar"), ("الدفاع المدني الإدلبي يخمد حريقاً", "ar"), ("وفد من الشمال الإدلبي", "ar"),
     ("Idlibi farmers harvest olives", "en")],
)
def test_the_adjective_is_still_the_town(builtin_matcher: Matcher, text: str, lang: str) -> None:
    assert "idlib" in {m.concept.key for m in builtin_matcher.match(text, lang)}


def test_sentences_are_counted_in_tokens() -> None:
    assert [t.sentence for t in tokenize("M4 closed. Road open\nNew line? Yes")] == [0, 0, 1, 1, 2, 2, 3]
