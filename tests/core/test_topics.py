"""The topic lexicon: its validation, looking a typed word up in any language and inflection, and a topic
keyword found in sentences written for these tests in all four languages (recall per language, no leaks)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.core.matching.keywords import AddRequest, build_user_concept
from bot.core.matching.matcher import Matcher, SubscriptionMatcher
from bot.core.matching.topics import TopicLexicon, parse_topics
from bot.core.models import LANGUAGES, SubscriberKeyword

TOPICS_FILE = Path(__file__).resolve().parents[2] / "config" / "topics.toml"


@pytest.fixture(scope="module")
def lexicon() -> TopicLexicon:
    with TOPICS_FILE.open("rb") as handle:
        return TopicLexicon(parse_topics(tomllib.load(handle)))


def topic(key: str, **words: list[str]) -> dict[str, object]:
    return {"key": key, **{lang: words.get(lang, [f"{key}-{lang}"]) for lang in LANGUAGES}}


def test_the_shipped_lexicon_covers_many_topics_in_every_language(lexicon: TopicLexicon) -> None:
    assert len(lexicon.topics) >= 130
    for item in lexicon.topics:
        assert set(item.words) == set(LANGUAGES), item.key


@pytest.mark.parametrize(
    ("data", "problem"),
    [({"topics": []}, "expected one or more"),
     ({"topics": [{"key": "x", "ar": ["س"], "tr": ["x"], "ru": ["х"]}]}, "'en' must be a non-empty list"),
     ({"topics": [topic("a", en=["mine field"]), topic("b", en=["Mine  Field"])]}, "'Mine  Field' is in two topics"),
     ({"topics": [topic("a"), topic("a")]}, "used twice"),
     ({"topics": [{**topic("a"), "colour": "red"}]}, "unknown field 'colour'")],
)
def test_bad_lexicons_are_refused_with_the_reason(data: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_topics(data)


@pytest.mark.parametrize(
    ("typed", "key"),
    [("landmine", "landmine"), ("Landmines", "landmine"), ("الألغام", "landmine"), ("ألغام", "landmine"),
     ("mayınlı", "landmine"), ("мины", "landmine"), ("разминирование", "landmine"), ("UXO", "landmine"),
     ("drone", "drone"), ("مسيرات", "drone"), ("İHA", "drone"), ("беспилотник", "drone"),
     ("checkpoint", "checkpoint"), ("حواجز", "checkpoint"), ("блокпост", "checkpoint"),
     ("ceasefire", "ceasefire"), ("هدنة", "ceasefire"), ("ateşkes", "ceasefire"), ("перемирие", "ceasefire"),
     ("bakery", "bakery"), ("أفران", "bakery"), ("fırın", "bakery"), ("пекарня", "bakery")],
)
def test_a_word_in_any_language_finds_its_topic(lexicon: TopicLexicon, typed: str, key: str) -> None:
    found = lexicon.lookup(typed)
    assert found is not None and found.key == key


@pytest.mark.parametrize("typed", ["Saraqib", "Idlib", "Kafr Lusin", "cheese"])
def test_names_and_unknown_words_are_not_topics(lexicon: TopicLexicon, typed: str) -> None:
    assert lexicon.lookup(typed) is None


# Sentences written for this test: the topic in varied forms, and sentences on other subjects.
TOPIC_SENTENCES = {
    "landmine": {
        "ar": ["انفجار لغم أرضي بمزارع في ريف إدلب", "فرق الدفاع المدني تزيل مخلفات الحرب من الأراضي الزراعية",
               "مقتل طفلين بانفجار قنبلة عنقودية من مخلفات القصف", "حملة لنزع الألغام قرب سراقب"],
        "tr": ["İdlib'de kara mayını patladı: iki çiftçi yaralandı", "Mayınlı arazide çalışan ekipler",
               "Patlamamış mühimmat temizleme çalışmaları sürüyor", "Mayın temizleme ekibi bölgeye ulaştı"],
        "ru": ["Саперы провели разминирование полей под Алеппо", "Ребенок подорвался на мине в Идлибе",
               "Обнаружены неразорвавшиеся боеприпасы", "Кассетные боеприпасы нашли в садах"],
        "en": ["Landmines kill two shepherds", "Deminers clear unexploded ordnance near Saraqib",
               "Explosive remnants of war threaten returning farmers", "Cluster munitions found in olive groves"],
    },
    "checkpoint": {
        "ar": ["قوات الأمن تنشر حواجز على مداخل المدينة", "اعتقال شاب على حاجز عسكري", "إزالة نقاط التفتيش",
               "حاجز طيار يوقف السيارات"],
        "tr": ["Kontrol noktasında bekleyen araçlar", "Yeni kontrol noktaları kuruldu",
               "Askeri kontrol noktasına saldırı", "Yol kontrolü sıkılaştırıldı"],
        "ru": ["На блокпостах проверяют документы", "Нападение на блокпост у трассы", "Новый КПП открыт",
               "Контрольно-пропускные пункты усилены"],
        "en": ["Checkpoints set up at the city entrances", "Man detained at a checkpoint", "Roadblocks removed",
               "Security checkpoint attacked"],
    },
}
UNRELATED = {
    "ar": ["افتتاح معرض للكتاب في حلب", "ارتفاع أسعار الذهب"],
    "tr": ["Futbol maçında gol yağmuru", "Altın fiyatları yükseldi"],
    "ru": ["Открылась книжная ярмарка", "Цены на золото выросли"], "en": ["Book fair opens", "Gold prices rise"],
}


@pytest.mark.parametrize("key", sorted(TOPIC_SENTENCES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_topic_keyword_finds_its_sentences_in_every_language(lexicon: TopicLexicon, key: str, lang: str) -> None:
    typed = {"landmine": "landmine", "checkpoint": "حاجز"}[key]
    concept = build_user_concept(AddRequest(typed), {}, None, lexicon.lookup(typed))
    matcher = Matcher([concept])
    found = [text for text in TOPIC_SENTENCES[key][lang] if matcher.match(text, lang)]
    assert len(found) / len(TOPIC_SENTENCES[key][lang]) >= 0.9, set(TOPIC_SENTENCES[key][lang]) - set(found)
    assert not [text for text in UNRELATED[lang] if matcher.match(text, lang)]


def test_a_topic_reaches_only_the_chat_that_follows_it(lexicon: TopicLexicon) -> None:
    landmine = build_user_concept(AddRequest("mayın"), {}, None, lexicon.lookup("mayın"))
    bakery = build_user_concept(AddRequest("bakery"), {}, None, lexicon.lookup("bakery"))
    routed = SubscriptionMatcher([SubscriberKeyword(1, landmine), SubscriberKeyword(2, bakery)]).route(
        "Ребенок подорвался на мине", "", "ru")
    assert set(routed) == {1}
