"""Tests for bot.core.matching.script: language from the writing system."""

from __future__ import annotations

import pytest

from bot.core.matching.script import script_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اشتباكات عنيفة في ريف إدلب الجنوبي", "ar"),
        ("قصف على طريق M4 قرب أريحا 2024", "ar"),
        ("ﺇﺩﻟﺐ", "ar"),  # presentation forms
        ("Обстрел в провинции Идлиб", "ru"),
        ("Трасса М-4 «Дон»: пробки 12 км", "ru"),
        ("Idlib'de çatışmalar sürüyor", "tr"),
        ("İdlib kırsalında saldırı", "tr"),
        ("Suriye'nin kuzeyinde gerginlik", None),  # no Turkish letters: left to langdetect
        ("Türkiye ve Rusya görüştü", "tr"),
        ("M4 karayolu üzerinde yeni bir saldırı", "tr"),
        ("Clashes near Idlib on the M4 highway", None),
        ("Über die Lage in Syrien für Flüchtlinge", None),
        ("Café crème à Paris", None),
        ("", None),
        ("12:30 — !!! 2024/05/01", None),
        ("M4", None),
    ],
)
def test_script_language(text: str, expected: str | None) -> None:
    assert script_language(text) == expected


def test_dominant_script_wins_in_mixed_text() -> None:
    assert script_language("BBC News عربي: قصف على مدينة إدلب اليوم") == "ar"
    assert script_language("Reuters: Турция и Россия обсудили ситуацию") == "ru"
    assert script_language("Sky News reports on إدلب") is None


def test_counts_letters_not_bytes() -> None:
    # Arabic letters take two bytes in UTF-8 each, Latin one: equal letter counts, no majority.
    assert script_language("abcd ابتث") == "ar"  # a tie at half goes to the script that has it
    assert script_language("abcde ابتث") is None
