"""Hostile feed text that used to freeze or exhaust the bot (issue 12, items 2-6): each case stays linear,
small and correct."""

from __future__ import annotations

from datetime import UTC, datetime

from linear_time import assert_linear

from bot.adapters.feeds.feed_bytes import defuse_doctype, prepare_feed_bytes
from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.http_headers import MAX_CACHE_CONTROL_CHARS, cache_lifetime
from bot.adapters.feeds.legacy_charset import legacy_charset
from bot.core.feeds.html import strip_html

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_cache_control_parsing_is_linear() -> None:
    assert_linear(lambda header: cache_lifetime({"cache-control": header}, NOW), lambda n: "a" * n + "!")
    assert_linear(lambda header: cache_lifetime({"cache-control": header}, NOW), lambda n: " " * n + "!")


def test_cache_control_is_still_read_and_only_its_start_counts() -> None:
    assert cache_lifetime({"cache-control": 'public, private="x", max-age=600'}, NOW) == 600
    assert cache_lifetime({"cache-control": "S-MaxAge = 60 , max-age=600"}, NOW) == 60
    assert cache_lifetime({"cache-control": "no-store, max-age=600"}, NOW) is None
    late = "x" * MAX_CACHE_CONTROL_CHARS + ", max-age=600"
    assert cache_lifetime({"cache-control": late}, NOW) is None


def test_legacy_charset_guess_is_linear() -> None:
    assert_linear(legacy_charset, lambda n: b"\xe9 " + b"a" * n)
    assert_linear(legacy_charset, lambda n: b"\xe9" + b"ab " * (n // 3))


def test_legacy_charset_guess_still_reads_words_with_ascii_letters() -> None:
    body = "<rss><title>Şam'da ağır çatışmalar, İdlib kırsalında gerginlik</title></rss>".encode("cp1254")
    assert legacy_charset(body) == "cp1254"
    body = "<rss><title>Обстрел в провинции Идлиб, трасса М4 перекрыта</title></rss>".encode("cp1251")
    assert legacy_charset(body) == "cp1251"


def test_strip_html_is_linear_on_an_unclosed_comment() -> None:
    assert_linear(strip_html, lambda n: "<!--" + " <a" * (n // 3) + ">")
    assert_linear(strip_html, lambda n: "text " + "<b" * (n // 2) + ">")


def test_strip_html_still_drops_a_tag_cut_off_at_the_end() -> None:
    assert strip_html('Shelling near Idlib <a href="https://news.exa') == "Shelling near Idlib"
    assert strip_html("a > b <i>c</i> <b") == "a > b c"
    assert strip_html("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"


def _bomb(junk: bytes, value_chars: int = 30_000, references: int = 20_000) -> bytes:
    return (junk + b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + b"x" * value_chars + b'">\n]>\n'
            b'<rss version="2.0"><channel><title>t</title><item><title>Bomb &a;</title><description>'
            + b"&a;" * references + b"</description></item></channel></rss>")


def test_an_entity_bomb_after_junk_before_the_prolog_is_defused() -> None:
    for junk in (b"x", b"\n\n junk ", b"<!-- c -->x", b"\xef\xbb\xbfx"):
        prepared = prepare_feed_bytes(_bomb(junk), "application/rss+xml")
        assert b"xxxxxxxxxx" not in prepared.body, junk
        parsed = parse_feed(_bomb(junk), url="https://news.example/rss")
        assert [entry.title for entry in parsed.entries] == ["Bomb &a;"], junk  # kept as text, never expanded


def test_stray_entity_declarations_before_the_first_element_are_dropped() -> None:
    document = 'x\n<!ENTITY a "' + "y" * 100 + '">\n<!doctype rss>\n<rss>&a;</rss>'
    assert defuse_doctype(document) == "x\n\n\n<!doctype rss>\n<rss>&a;</rss>"
    short = 'x<!DOCTYPE rss [<!ENTITY a "b">]><rss>&a;</rss>'
    assert defuse_doctype(short) == 'x\n<!DOCTYPE rss [\n<!ENTITY a "b">\n]><rss>&a;</rss>'


def test_defusing_many_declarations_is_linear() -> None:
    assert_linear(defuse_doctype, lambda n: "x" + "<!DOCTYPE a" * (n // 11) + "<rss/>")
    assert_linear(defuse_doctype, lambda n: "x" + '<!ENTITY "' * (n // 10) + "<rss/>")
