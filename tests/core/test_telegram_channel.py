"""Tests for bot.core.feeds.telegram_channel: channel names and addresses, headlines, paging, posts as entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.feeds.telegram_channel import (
    ChannelPost,
    channel_feed_url,
    channel_name,
    headline,
    needs_older_page,
    parse_cursor,
    post_entry,
)


@pytest.mark.parametrize(("text", "name"), [
    ("@idlib_news", "idlib_news"), ("https://t.me/idlib_news", "idlib_news"), ("t.me/idlib_news", "idlib_news"),
    ("https://t.me/s/idlib_news", "idlib_news"), ("https://t.me/idlib_news/123", "idlib_news"),
    ("http://telegram.me/IdlibNews?x=1", "IdlibNews"), ("  @Agency2024  ", "Agency2024"),
    ("https://t.me/+AbCdEfGh", None), ("https://t.me/joinchat/abcdef", None), ("https://t.me/s/", None),
    ("@1badname", None), ("@abc", None), ("@" + "a" * 33, None), ("https://example.org/idlib_news", None),
    ("https://t.me.evil.example/idlib_news", None), ("ftp://t.me/idlib_news", None), ("", None),
])
def test_channel_name_from_what_admins_type(text: str, name: str | None) -> None:
    assert channel_name(text) == name


def test_channel_feed_url_round_trips() -> None:
    url = channel_feed_url("idlib_news")
    assert url == "https://t.me/s/idlib_news" and channel_name(url) == "idlib_news"


@pytest.mark.parametrize(("text", "expected"), [
    ("Shelling near Idlib\nDetails follow.", "Shelling near Idlib"),
    ("\n\n  First real line  \nsecond", "First real line"),
    ("Short one. " + "Another sentence that goes on and on " * 8, "Short one."),
    ("قصف على إدلب؟ " + "تفاصيل " * 60, "قصف على إدلب؟"),
    ("", ""),
])
def test_channel_post_headline_is_first_line_or_sentence(text: str, expected: str) -> None:
    assert headline(text) == expected


def test_channel_post_headline_without_a_sentence_end_is_cut_at_a_word() -> None:
    title = headline("word " * 100)
    assert title.endswith("…") and len(title) <= 160 and " wor…" not in title


@pytest.mark.parametrize(("ids", "last_seen", "expected"), [
    ([11, 12, 13], 5, True), ([6, 7], 5, False), ([3, 9], 5, False), ([11, 12], None, False), ([], 5, False),
])
def test_channel_older_page_needed_only_while_the_gap_is_open(ids: list[int], last_seen: int | None,
                                                              expected: bool) -> None:
    assert needs_older_page(ids, last_seen) is expected


@pytest.mark.parametrize(("stored", "cursor"), [("42", 42), (" 7 ", 7), (None, None), ('"etag"', None), ("-1", None)])
def test_channel_cursor_parsing(stored: str | None, cursor: int | None) -> None:
    assert parse_cursor(stored) == cursor


def test_channel_post_entry_title_and_summary_make_the_whole_post() -> None:
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    post = ChannelPost("Agency", 77, "Convoy on the M4\nNear Saraqib, heading east.", when, "Civil Defence")

    entry = post_entry(post)

    assert entry.identity == "tg:agency/77" and entry.link == entry.guid == "https://t.me/Agency/77"
    assert entry.title == "Convoy on the M4"
    assert entry.summary == "Forwarded from Civil Defence\nNear Saraqib, heading east."
    assert entry.published_at == when


def test_channel_post_entry_of_a_photo_without_caption_is_never_blank() -> None:
    entry = post_entry(ChannelPost("agency", 5, ""))
    assert entry.title == "https://t.me/agency/5" and entry.summary == ""
