"""Tests for bot.adapters.translation.language: declared language, then script, then seeded langdetect."""

from __future__ import annotations

import langdetect.detector_factory as langdetect_factory
import pytest

from bot.adapters.translation.language import LanguageDetector, normalise_declared


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("ar-SY", "ar"), ("en-us", "en"), ("EN_GB", "en"), (" tr ", "tr"), ("ru", "ru"), ("fr", None),
     ("", None), (None, None), ("arabic", None)],
)
def test_normalise_declared(declared: str | None, expected: str | None) -> None:
    assert normalise_declared(declared) == expected


def test_declared_language_wins(detector: LanguageDetector) -> None:
    assert detector.detect("Clashes near Idlib", declared="ar-SY") == "ar"
    assert detector.detect("قصف على إدلب", declared="en-us") == "en"


def test_unknown_declared_language_falls_through(detector: LanguageDetector) -> None:
    assert detector.detect("قصف على إدلب", declared="fr-FR") == "ar"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اشتباكات في ريف إدلب الجنوبي", "ar"),
        ("Обстрел в провинции Идлиб", "ru"),
        ("İdlib kırsalında çatışma", "tr"),
    ],
)
def test_script_decides(detector: LanguageDetector, text: str, expected: str) -> None:
    assert detector.detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clashes near Idlib on the M4 highway", "en"),
        ("The army said the road was closed", "en"),
        ("Suriye kuzeyinde gerginlik artiyor", "tr"),  # Turkish typed without Turkish letters
        ("Turkiye ve Rusya Idlib konusunu gorustu", "tr"),
    ],
)
def test_langdetect_for_latin_text(detector: LanguageDetector, text: str, expected: str) -> None:
    assert detector.detect(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12:30 2024", "!!! ???", "— • —"])
def test_undetectable(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_only_our_languages_come_back(detector: LanguageDetector) -> None:
    texts = ["Des combats près d'Idlib selon l'armée", "Kämpfe in der Nähe von Idlib", "Combates en Idlib"]
    for text in texts:
        assert detector.detect(text) in {"en", "tr", None}


def test_deterministic_across_instances_and_calls() -> None:
    texts = ["Idlib", "M4 road", "Suriye haber", "bir iki", "news today", "Hatay sinir kapisi"]
    first = [LanguageDetector().detect(t) for t in texts]
    second_detector = LanguageDetector()
    assert [second_detector.detect(t) for t in texts] == first
    assert [second_detector.detect(t) for t in texts] == first


def test_lazy_and_private_factory() -> None:
    detector = LanguageDetector()
    assert detector._factory is None  # nothing loaded at construction
    detector.detect("Обстрел")  # the script decides: still nothing loaded
    assert detector._factory is None
    detector.detect("Clashes near the border")
    assert detector._factory is not None
    assert sorted(detector._factory.get_lang_list()) == ["ar", "en", "ru", "tr"]
    assert detector._factory is not langdetect_factory._factory
