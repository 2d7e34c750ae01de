"""Arabic texts read right to left in Telegram: rendered with the shipped catalogue, every line starts
right to left and no Latin word, command, number run or link sits unisolated in Arabic text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.interface.bidi import LRI, PDI, direction_problems
from bot.core.interface.formatting import AlertContent, html_to_plain, render_alert
from bot.core.interface.i18n import Texts
from bot.core.interface.latest import LatestItem, StoredEntry, render_latest
from bot.core.matching.keyword_view import explain, explanation_text, keywords_text
from bot.core.models import Concept
from bot.handlers.command_table import help_text
from bot.i18n import Catalogues

IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib", "Idleb"), "ar": ("إدلب",), "tr": ("İdlib",)})
M4 = Concept(key="m4", label="M4 highway (Syria)", ambiguous={"en": ("M4",), "ar": ("M4", "إم 4")},
             context={"en": ("Saraqib",)}, vetoes={"en": ("Apple",)})


@pytest.fixture(scope="module")
def arabic() -> Texts:
    return Catalogues.load().texts("ar")


def assert_reads_right_to_left(text: str, allowed_latin: str = "") -> None:
    problems = direction_problems(text, allowed_latin)
    assert not problems, "\n".join(problems)


def test_alert_in_arabic(arabic: Texts) -> None:
    alert = AlertContent(source="Fake English Wire", lang="en", title="Shelling on the M4 near Saraqib (2 dead)",
                         summary="Local sources report 2 dead.", link="https://news.example/en/m4?id=7&x=1",
                         keyword="M4 highway (Syria), Idlib", quotes=("M4", "Saraqib"), target="ar",
                         translated_title="قصف على M4 قرب سراقب (قتيلان)", translated_summary="أفادت مصادر محلية.")
    text = render_alert(alert, Catalogues.load().texts)
    assert_reads_right_to_left(text)
    plain = html_to_plain(text)
    assert "النص الأصلي" in plain and "الإنجليزية" in plain and "الكلمات المطابقة" in plain
    assert f'{LRI}<a href="https://news.example/en/m4?id=7&amp;x=1">' in text and f"</a>{PDI}" in text


def test_failed_translation_in_arabic(arabic: Texts) -> None:
    alert = AlertContent(source="Wire", lang="ru", title="Обстрел в Идлибе", summary="", link=None, keyword="Idlib",
                         quotes=("Идлибе",), target="ar", translation_failed=True)
    text = render_alert(alert, Catalogues.load().texts)
    assert_reads_right_to_left(text)
    assert "الترجمة إلى" in text and "غير متاحة" in text


def test_keywords_in_arabic(arabic: Texts) -> None:
    assert_reads_right_to_left(keywords_text([IDLIB, M4], arabic))


def test_latest_and_test_in_arabic(arabic: Texts) -> None:
    entry = StoredEntry(1, "Enab Baladi", "Idlib: 3 roads reopened", "", "https://e.example/1", "en",
                        datetime(2025, 3, 1, tzinfo=UTC))
    text = render_latest([LatestItem(entry, ("Idlib",), timedelta(hours=3))], timedelta(hours=72), arabic)
    assert_reads_right_to_left(text)
    assert "منذ 3 ساعات" in text
    assert_reads_right_to_left(explanation_text(explain([IDLIB, M4], "M4 near Saraqib, Idleb", "en"), arabic))


def test_help_in_arabic_keeps_commands_whole(arabic: Texts) -> None:
    text = arabic.layout(help_text(arabic))
    assert_reads_right_to_left(text, allowed_latin="M")  # "M4", the road's name: one left-to-right word
    assert f"{LRI}/start{PDI}" in text and f"{LRI}/removefeed{PDI}" in text
