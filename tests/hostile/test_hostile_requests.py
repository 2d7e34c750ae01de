"""Keyword requests and config files that slipped past validation (issue 12, items 8, 16, 17, 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.config_files import load_feeds, validate_feed
from bot.adapters.feeds.feed_parser import parse_feed
from bot.core.matching.keywords import MAX_KEY_LENGTH, MAX_PARTS, clean_term, parse_add, user_concept_key
from bot.errors import ConfigFileError, UserError


def test_the_word_limit_holds_across_repeated_sections() -> None:
    sections = " | ".join(f"near: w{n}a, w{n}b" for n in range(MAX_PARTS))
    with pytest.raises(UserError, match="at most"):
        parse_add(f"Saraqib | {sections}")
    assert len(parse_add("Saraqib | near: Idlib, M4 | near: Syria").context) == 3


def test_a_keyword_whose_key_outgrows_the_column_is_refused() -> None:
    assert len(user_concept_key("ﷺ" * 14)) > MAX_KEY_LENGTH
    with pytest.raises(UserError, match="at most"):
        clean_term("ﷺ" * 14)
    assert len(user_concept_key(clean_term("ﷺ" * 13))) <= MAX_KEY_LENGTH


def test_a_feed_name_the_database_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 200"):
        validate_feed("n" * 201, "https://news.example/rss", "en")
    assert validate_feed(" " + "n" * 200 + " ", "https://news.example/rss", "en").name == "n" * 200


def test_a_config_file_that_is_not_utf8_gets_one_line(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes('[[feeds]]\nname = "Wire é"\nurl = "https://news.example/rss"\nlang = "en"\n'.encode("cp1252"))
    with pytest.raises(ConfigFileError, match="not UTF-8") as raised:
        load_feeds(path)
    assert "\n" not in str(raised.value)


def test_an_untitled_item_is_titled_by_its_first_sentence() -> None:
    body = ('<rss version="2.0"><channel><title>t</title><language>ar</language><item>'
            "<description>قصف على أطراف إدلب صباح اليوم. وأفادت مصادر بسقوط جرحى.</description>"
            "<link>https://news.example/1</link></item></channel></rss>").encode()
    entry = parse_feed(body, url="https://news.example/rss").entries[0]
    assert entry.title == "قصف على أطراف إدلب صباح اليوم."
    again = parse_feed(body, url="https://news.example/rss").entries[0]
    assert again.identity == entry.identity
