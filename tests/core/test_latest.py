"""/latest: picking the newest matching stored entries and showing them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.interface.formatting import TELEGRAM_LIMIT, html_to_plain
from bot.core.interface.i18n import Texts
from bot.core.interface.latest import LatestItem, StoredEntry, age_text, pick_latest, render_latest
from bot.core.matching.matcher import Matcher
from bot.core.models import Concept

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib",), "ar": ("إدلب",)})
SARAQIB = Concept(key="user:saraqib", label="Saraqib", terms={"en": ("Saraqib",)})
ENGLISH = Texts("en")


def stored(number: int, title: str, *, hours: float = 1, link: str | None = "auto", feed: str = "Wire",
           lang: str = "en") -> StoredEntry:
    url = f"https://news.example/{number}" if link == "auto" else link
    return StoredEntry(number, feed, title, "", url, lang, NOW - timedelta(hours=hours))


def test_picks_the_newest_matches_in_order_up_to_the_limit() -> None:
    entries = [stored(5, "Idlib market reopens", hours=1), stored(4, "Weather forecast", hours=2),
               stored(3, "قصف على إدلب", hours=3, lang="ar"), stored(2, "Saraqib and Idlib", hours=4),
               stored(1, "Idlib again", hours=5)]
    picked = pick_latest(entries, Matcher([IDLIB, SARAQIB]), NOW, limit=3)
    assert [item.entry.id for item in picked] == [5, 3, 2]
    assert picked[2].keywords == ("Idlib", "Saraqib")
    assert picked[0].age == timedelta(hours=1)


def test_the_same_story_from_two_feeds_or_without_link_is_shown_once() -> None:
    entries = [stored(3, "Idlib news", link="https://same.example/a"), stored(2, "Idlib news",
               link="https://same.example/a", feed="Mirror"), stored(1, "IDLIB NEWS", link=None),
               stored(0, "Idlib news", link=None)]
    picked = pick_latest(entries, Matcher([IDLIB]), NOW, limit=5)
    assert [item.entry.id for item in picked] == [3, 1]


def test_future_dates_count_as_just_now() -> None:
    entry = StoredEntry(1, "Wire", "Idlib", "", None, "en", NOW + timedelta(hours=2))
    (item,) = pick_latest([entry], Matcher([IDLIB]), NOW, limit=5)
    assert item.age == timedelta(0)
    assert age_text(item.age, ENGLISH) == "just now"


def test_age_in_words() -> None:
    assert age_text(timedelta(minutes=1), ENGLISH) == "1 minute ago"
    assert age_text(timedelta(minutes=59), ENGLISH) == "59 minutes ago"
    assert age_text(timedelta(hours=47), ENGLISH) == "47 hours ago"
    assert age_text(timedelta(days=3), ENGLISH) == "3 days ago"


def test_rendering_shows_title_source_age_keywords_and_link() -> None:
    item = LatestItem(stored(1, "Idlib <market> & more", feed="Enab"), ("Idlib",), timedelta(hours=2))
    text = render_latest([item], timedelta(hours=72), ENGLISH)
    plain = html_to_plain(text)
    assert "last 72 hours" in plain
    assert "1. Idlib <market> & more" in plain and "Enab · 2 hours ago · Idlib" in plain
    assert '<a href="https://news.example/1">' in text and "&lt;market&gt; &amp;" in text


def test_nothing_found_says_so_with_the_window() -> None:
    assert html_to_plain(render_latest([], timedelta(hours=1), ENGLISH)) == (
        "Nothing matched your keywords in the last 1 hour.")


def test_huge_items_are_dropped_whole_to_stay_under_the_limit() -> None:
    long_link = "https://news.example/" + "x" * 5000
    items = [LatestItem(stored(n, "Idlib " + "&" * 3000, link=long_link), ("Idlib",), timedelta(hours=1))
             for n in range(5)]
    text = render_latest(items, timedelta(hours=72), ENGLISH)
    assert len(text) <= TELEGRAM_LIMIT
    assert text.count("<a href=") == text.count("</a>") >= 1


def test_a_story_is_one_item_naming_every_source() -> None:
    entries = [StoredEntry(4, "Wire A", "Idlib: blast on the M4", "", "https://a.example/4", "en",
                           NOW - timedelta(hours=1), story_id=9),
               StoredEntry(3, "Wire T", "İdlib'de patlama", "", "https://t.example/3", "tr", NOW - timedelta(hours=2),
                           story_id=9),
               stored(2, "Idlib market reopens", hours=3),
               StoredEntry(1, "Wire R", "Взрыв в Идлибе", "", "https://r.example/1", "ru", NOW - timedelta(hours=4),
                           story_id=9)]
    picked = pick_latest(entries, Matcher([IDLIB]), NOW, limit=5)
    assert [item.entry.id for item in picked] == [4, 2]
    assert picked[0].sources == ("Wire A", "Wire T", "Wire R")
    text = html_to_plain(render_latest(picked, timedelta(hours=72), ENGLISH))
    assert "Wire A, Wire T, Wire R · 1 hour ago" in text


def test_a_story_shows_even_when_only_an_older_report_matches() -> None:
    entries = [StoredEntry(2, "Wire A", "Blast on the highway", "", "https://a.example/2", "en",
                           NOW - timedelta(hours=1), story_id=5),
               StoredEntry(1, "Wire B", "Blast near Idlib", "", "https://b.example/1", "en",
                           NOW - timedelta(hours=2), story_id=5)]
    [item] = pick_latest(entries, Matcher([IDLIB]), NOW, limit=5)
    assert item.entry.id == 1 and item.sources == ("Wire A", "Wire B")
