"""Tests for bot.adapters.feeds.feed_parser: real-world feed shapes, charsets, and hostile input."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.feeds.feed_parser import ParsedFeed, language_code, parse_feed
from bot.errors import FeedParseError

URL = "https://news.example/rss/feed.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Example &amp; News</title>
  <link>https://news.example/</link>
  <language>en-us</language>
  <item>
    <title>Clashes near &lt;b&gt;Idlib&lt;/b&gt;</title>
    <link>/world/idlib-1?utm_source=rss</link>
    <guid isPermaLink="false">news-1</guid>
    <description>&lt;p&gt;Shelling on the &lt;a href="/m4"&gt;M4&lt;/a&gt; highway.&lt;/p&gt;
      &lt;script&gt;x()&lt;/script&gt;</description>
    <pubDate>Mon, 01 Jan 2024 10:00:00 +0300</pubDate>
  </item>
  <item>
    <title>Second</title>
    <link>https://news.example/world/2</link>
    <description>Plain</description>
  </item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="tr">
  <title>Haberler</title>
  <id>urn:feed</id>
  <updated>2024-02-03T04:05:06Z</updated>
  <entry>
    <title type="html">İdlib'de &lt;em&gt;çatışma&lt;/em&gt;</title>
    <id>tag:haber.example,2024:1</id>
    <link rel="alternate" href="https://haber.example/1"/>
    <updated>2024-02-03T04:05:06+03:00</updated>
    <content type="html">&lt;p&gt;M4 karayolu &amp;amp; çevresi&lt;/p&gt;</content>
  </entry>
</feed>""".encode()


def test_rss20() -> None:
    feed = parse_feed(RSS, url=URL, content_type="application/rss+xml; charset=utf-8")
    assert isinstance(feed, ParsedFeed)
    assert feed.title == "Example & News"
    assert feed.lang == "en"
    assert feed.warning is None
    first, second = feed.entries
    assert first.title == "Clashes near Idlib"
    assert first.summary == "Shelling on the M4 highway."
    assert first.link == "https://news.example/world/idlib-1?utm_source=rss"
    assert first.guid == "news-1"
    assert first.identity == "guid:news-1"
    assert first.published_at == datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    assert first.lang == "en"
    assert second.guid is None
    assert second.identity == "link:https://news.example/world/2"
    assert second.published_at is None


def test_atom() -> None:
    feed = parse_feed(ATOM, url="https://haber.example/atom", content_type="application/atom+xml")
    assert feed.title == "Haberler"
    assert feed.lang == "tr"
    (entry,) = feed.entries
    assert entry.title == "İdlib'de çatışma"
    assert entry.summary == "M4 karayolu & çevresi"
    assert entry.link == "https://haber.example/1"
    assert entry.identity == "guid:tag:haber.example,2024:1"
    assert entry.published_at == datetime(2024, 2, 3, 1, 5, 6, tzinfo=UTC)
    assert entry.lang == "tr"


def _legacy(encoding: str, title: str, item: str, lang: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>{title}</title>'
        f"<language>{lang}</language><item><title>{item}</title><link>/a/1</link></item></channel></rss>"
    ).encode(encoding)


@pytest.mark.parametrize("content_type", [None, "text/xml", "application/xml", "application/rss+xml"])
def test_windows_1256_arabic_declared_in_prolog(content_type: str | None) -> None:
    body = _legacy("windows-1256", "أخبار سوريا", "قصف على مدينة إدلب", "ar-SY")
    feed = parse_feed(body, url="https://ar.example/rss", content_type=content_type)
    assert feed.title == "أخبار سوريا"
    assert feed.lang == "ar"
    assert feed.warning is None
    (entry,) = feed.entries
    assert entry.title == "قصف على مدينة إدلب"
    assert entry.link == "https://ar.example/a/1"
    assert entry.lang == "ar"


def test_windows_1251_russian() -> None:
    body = _legacy("windows-1251", "Новости", "Обстрел в провинции Идлиб, трасса М-4", "ru")
    feed = parse_feed(body, url="https://ru.example/rss", content_type="application/rss+xml")
    assert feed.title == "Новости"
    assert feed.entries[0].title == "Обстрел в провинции Идлиб, трасса М-4"
    assert feed.entries[0].lang == "ru"


def test_wrong_header_charset_still_decodes() -> None:
    body = _legacy("windows-1251", "Новости", "Идлиб", "ru")
    feed = parse_feed(body, url="https://ru.example/rss", content_type="application/rss+xml; charset=utf-8")
    assert feed.entries[0].title == "Идлиб"
    assert feed.warning  # the mismatch is reported, not fatal


def test_malformed_xml_with_recoverable_items() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bad & feed</title>'
        b"<item><title>One <b>bold</title><link>http://e.example/1</link></item>"
        b"<item><title>Two</title><link>http://e.example/2</link></item></channel>"
    )
    feed = parse_feed(body, url="http://e.example/feed")
    assert [e.title for e in feed.entries] == ["One bold", "Two"]
    assert feed.warning


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb &lol9;</title>
<item><title>Boom &lol9;</title><description>&lol9;</description><link>http://e.example/1</link></item>
</channel></rss>"""


def test_entity_bomb_is_defused() -> None:
    started = time.monotonic()
    try:
        feed = parse_feed(BOMB, url="http://e.example/feed")
    except FeedParseError:
        return  # refusing it outright is also fine
    assert time.monotonic() - started < 2.0
    assert len(feed.title) < 1000
    assert all(len(e.title) < 1000 and len(e.summary) < 1000 for e in feed.entries)


def test_external_entities_are_not_resolved(tmp_path: object) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>a &xxe; b</title>'
        b"<link>http://e.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(body, url="http://e.example/feed")
    assert "root:" not in feed.entries[0].title


def test_items_without_guid_or_link_get_stable_identities() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Only a title</title><description>and a summary</description></item>"
        b"<item><title>Another</title></item>"
        b"<item><title>Only a title</title><description>and a summary</description></item>"
        b"<item></item>"
        b"</channel></rss>"
    )
    first = parse_feed(body, url="http://e.example/feed")
    second = parse_feed(body, url="http://e.example/feed")
    assert [e.identity for e in first.entries] == [e.identity for e in second.entries]
    assert len(first.entries) == 2  # the repeat and the empty item are dropped
    assert all(e.identity.startswith("hash:") and e.link is None for e in first.entries)


def test_non_url_guid_is_not_used_as_link() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>x</title><guid>12345</guid></item>"
        b"<item><title>y</title><guid>https://e.example/y</guid></item>"
        b"</channel></rss>"
    )
    x, y = parse_feed(body, url="http://e.example/feed").entries
    assert (x.identity, x.link) == ("guid:12345", None)
    assert (y.identity, y.link) == ("guid:https://e.example/y", "https://e.example/y")


def test_dangerous_link_schemes_are_dropped() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>x</title><link>javascript:alert(1)</link></item></channel></rss>"
    )
    (entry,) = parse_feed(body, url="http://e.example/feed").entries
    assert entry.link is None


def test_content_used_when_no_summary_and_long_text_clipped() -> None:
    long_text = "word " * 3000
    body = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>t</title><item><title>x</title><link>http://e.example/1</link>"
        f"<content:encoded><![CDATA[<p>{long_text}</p>]]></content:encoded></item></channel></rss>"
    ).encode()
    (entry,) = parse_feed(body, url="http://e.example/feed").entries
    assert entry.summary.startswith("word word")
    assert len(entry.summary) <= 5_001


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><head><title>Not a feed</title></head><body><p>hello</p></body></html>",
        b"\x00\x01\x02 garbage \xff\xfe",
        b'{"json": true}',
        b"Just some text",
    ],
)
def test_not_a_feed_raises(body: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse_feed(body, url="http://e.example/feed", content_type="text/html")


def test_empty_but_valid_feed_is_fine() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_feed(body, url="http://e.example/feed")
    assert feed.title == "Quiet" and feed.entries == [] and feed.warning is None


def test_url_string_is_never_fetched() -> None:
    # A body that looks like a URL must be parsed as (non-feed) content, never opened.
    with pytest.raises(FeedParseError):
        parse_feed(b"http://127.0.0.1:9/feed", url="http://e.example/feed")
    with pytest.raises(FeedParseError):
        parse_feed(b"/etc/passwd", url="http://e.example/feed")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ar-SY", "ar"), ("en_US", "en"), ("RU", "ru"), ("tur", "tr"), ("fr", "fr"), ("", None),
     (None, None), ("x-klingon", None), ("zzz", None)],
)
def test_language_code(value: object, expected: str | None) -> None:
    assert language_code(value) == expected


# --- hostile DOCTYPEs -------------------------------------------------------------------------------


def _rss(items: str, *, doctype: str = "", channel: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t</title>{channel}{items}'
            "</channel></rss>").encode()


def test_single_line_entity_bomb_is_defused() -> None:
    # On one line, feedparser's own DOCTYPE clean-up does not see these declarations.
    levels = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    body = _rss("<item><title>Boom &l9;</title><link>http://e.example/1</link></item>",
                doctype=f'<!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]>')
    started = time.monotonic()
    feed = parse_feed(body, url="http://e.example/feed")
    assert time.monotonic() - started < 10.0
    assert [e.link for e in feed.entries] == ["http://e.example/1"]
    assert len(feed.entries[0].title) < 100


def test_quadratic_blowup_entity_is_dropped_before_parsing() -> None:
    big = "a" * 200_000
    body = _rss(f"<item><title>x {'&big;' * 40_000}</title><link>http://e.example/1</link></item>",
                doctype=f'<!DOCTYPE rss [<!ENTITY big "{big}">]>')
    tracemalloc.start()
    try:
        feed = parse_feed(body, url="http://e.example/feed")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert feed.entries[0].link == "http://e.example/1"
    assert "aaaa" not in feed.entries[0].title
    assert peak < 15_000_000  # expanding it would take 8 GB; expat alone would still build ~27 MB


def test_short_plain_entities_still_work() -> None:
    body = _rss('<item><title>Idlib&nbsp;&amp;&nbsp;&region;</title><link>http://e.example/1</link></item>',
                doctype='<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY region "M4 highway">]>')
    feed = parse_feed(body, url="http://e.example/feed")
    assert feed.entries[0].title == "Idlib & M4 highway"
    assert feed.warning is None


def test_file_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    body = _rss("<item><title>a &xxe; b</title><description>&xxe;</description>"
                "<link>http://e.example/1</link></item>",
                doctype=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')
    feed = parse_feed(body, url="http://e.example/feed")
    assert feed.entries and "TOP-SECRET" not in feed.entries[0].title + feed.entries[0].summary


async def test_http_entities_and_external_dtds_are_never_fetched() -> None:
    connections = 0

    async def count(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nPWNED!")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(count, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    bodies = [
        _rss("<item><title>a &xxe; b</title><link>http://e.example/1</link></item>",
             doctype=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{base}/entity">]>'),
        _rss("<item><title>a &inner; b</title><link>http://e.example/1</link></item>",
             doctype=f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{base}/param.dtd"> %remote;]>'),
        _rss("<item><title>a</title><link>http://e.example/1</link></item>",
             doctype=f'<!DOCTYPE rss SYSTEM "{base}/external.dtd">'),
    ]
    try:
        for body in bodies:
            feed = await asyncio.to_thread(parse_feed, body, url="http://e.example/feed")
            assert "PWNED" not in feed.entries[0].title
    finally:
        server.close()
    assert connections == 0


# --- malformed XML ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # a bare ampersand and an unclosed tag
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News & more</title>'
        b"<item><title>First <b>bold</title><link>http://e.example/1</link></item>"
        b"<item><title>Second</title><link>http://e.example/2</link></item></channel></rss>",
        # cut off in the middle of the third item
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>First</title><link>http://e.example/1</link></item>"
        b"<item><title>Second</title><link>http://e.example/2</link></item><item><title>Thi",
        # junk after the root element and an undefined HTML entity
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t &hellip;</title>'
        b"<item><title>First</title><link>http://e.example/1</link></item>"
        b"<item><title>Second</title><link>http://e.example/2</link></item></channel></rss><script>x</script>",
    ],
)
def test_malformed_feeds_yield_what_can_be_recovered(body: bytes) -> None:
    feed = parse_feed(body, url="http://e.example/feed")
    assert [e.link for e in feed.entries][:2] == ["http://e.example/1", "http://e.example/2"]
    assert feed.entries[0].title.startswith("First")
    assert feed.warning


# --- charsets -------------------------------------------------------------------------------------

ARABIC = ("قصفت طائرات حربية مواقع في ريف إدلب الجنوبي صباح اليوم",
          "وأفاد مراسل محلي بأن الطريق الدولي حلب اللاذقية أغلق أمام حركة المرور")
RUSSIAN = ("Сирийская армия нанесла удары по позициям боевиков в Идлибе",
           "Движение по трассе М-4 было временно перекрыто, сообщает корреспондент")
TURKISH = ("İdlib'de çatışmalar sürüyor: sivillerin güvenliği için çağrı",
           "Türk askeri konvoyu M4 karayolunda ilerledi, şehirde gerginlik yaşanıyor")
LEGACY = [("windows-1256", "ar", ARABIC), ("windows-1251", "ru", RUSSIAN), ("iso-8859-9", "tr", TURKISH),
          ("windows-1254", "tr", TURKISH)]


def _news(encoding: str | None, lang: str | None, texts: tuple[str, str], codec: str) -> bytes:
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    language = f"<language>{lang}</language>" if lang else ""
    return (f'{prolog}\n<rss version="2.0"><channel><title>News</title>{language}'
            f"<item><title>{texts[0]}</title><description>&lt;p&gt;{texts[1]}&lt;/p&gt;</description>"
            f"<link>https://news.example/a/1</link></item></channel></rss>").encode(codec)


@pytest.mark.parametrize(("charset", "lang", "texts"), LEGACY)
def test_legacy_charset_declared_only_in_the_http_header(charset: str, lang: str, texts: tuple[str, str]) -> None:
    body = _news(None, None, texts, charset)
    (entry,) = parse_feed(body, url=URL, content_type=f"application/rss+xml; charset={charset}").entries
    assert (entry.title, entry.summary) == texts


@pytest.mark.parametrize(("charset", "lang", "texts"), LEGACY)
def test_legacy_charset_declared_only_in_the_prolog(charset: str, lang: str, texts: tuple[str, str]) -> None:
    (entry,) = parse_feed(_news(charset, None, texts, charset), url=URL, content_type="text/xml").entries
    assert (entry.title, entry.summary) == texts


@pytest.mark.parametrize("content_type", [None, "text/xml", "application/rss+xml"])
@pytest.mark.parametrize("with_language", [True, False])
@pytest.mark.parametrize(("charset", "lang", "texts"), LEGACY)
def test_undeclared_legacy_charset_is_recognised(charset: str, lang: str, texts: tuple[str, str],
                                                 with_language: bool, content_type: str | None) -> None:
    body = _news(None, lang if with_language else None, texts, charset)
    feed = parse_feed(body, url=URL, content_type=content_type)
    (entry,) = feed.entries
    assert (entry.title, entry.summary) == texts
    assert feed.warning and "guessed" in feed.warning


def test_utf8_bytes_win_over_a_wrongly_declared_single_byte_charset() -> None:
    body = _news("iso-8859-1", None, ARABIC, "utf-8")
    feed = parse_feed(body, url=URL, content_type="text/xml; charset=ISO-8859-1")
    assert feed.entries[0].title == ARABIC[0]
    assert feed.warning and "UTF-8" in feed.warning


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    body = _news(None, None, RUSSIAN, "utf-8").replace("Идлибе".encode(), "Идлибе".encode() + b"\x96")
    feed = parse_feed(body, url=URL)
    assert feed.entries[0].title.startswith(RUSSIAN[0])
    assert feed.entries[0].summary == RUSSIAN[1]


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig"])
def test_byte_order_marks_decide(codec: str) -> None:
    body = _news(None, None, TURKISH, codec)
    feed = parse_feed(body, url=URL, content_type="application/rss+xml; charset=windows-1251")
    assert feed.entries[0].title == TURKISH[0]


def test_a_utf16_header_on_utf8_bytes_is_ignored() -> None:
    feed = parse_feed(_news(None, None, TURKISH, "utf-8"), url=URL, content_type="text/xml; charset=utf-16")
    assert feed.entries[0].title == TURKISH[0]


def test_unknown_declared_charset_falls_back() -> None:
    body = _news("x-no-such-charset", None, ARABIC, "utf-8")
    feed = parse_feed(body, url=URL, content_type="application/xml; charset=bogus")
    assert feed.entries[0].title == ARABIC[0]


# --- HTML, identities, order, TTL -------------------------------------------------------------------


def test_html_in_titles_and_summaries_is_reduced_to_visible_text() -> None:
    body = _rss(
        "<item><title>&lt;span style=\"color:red\" title=\"Aleppo\"&gt;Idlib&lt;/span&gt; "
        "&lt;script&gt;alert('x')&lt;/script&gt;&amp;amp; M4</title>"
        "<description><![CDATA[<style>.a{}</style><p onclick=\"evil()\">Shelling <img alt=\"Homs\" "
        "src=\"x.png\">near &quot;Saraqib&quot; &amp; Ariha</p><iframe>ad</iframe>]]></description>"
        "<link>http://e.example/1</link></item>")
    (entry,) = parse_feed(body, url="http://e.example/feed").entries
    assert entry.title == "Idlib & M4"
    assert entry.summary == 'Shelling near "Saraqib" & Ariha'


def test_a_guid_reused_for_another_story_in_one_document_keeps_both() -> None:
    body = _rss(
        "<item><guid>slot-1</guid><title>Shelling in Idlib</title><link>http://e.example/a</link></item>"
        "<item><guid>slot-1</guid><title>Market prices in Aleppo</title><link>http://e.example/b</link></item>"
        "<item><guid>slot-1</guid><title>Shelling in Idlib city</title><link>http://e.example/a</link></item>")
    first = parse_feed(body, url="http://e.example/feed").entries
    again = parse_feed(body, url="http://e.example/feed").entries
    assert [e.link for e in first] == ["http://e.example/a", "http://e.example/b"]
    assert first[0].identity == "guid:slot-1"
    assert first[1].identity.startswith("reguid:")
    assert [e.identity for e in again] == [e.identity for e in first]


def test_items_out_of_date_order_are_all_kept_in_document_order() -> None:
    dates = ["Mon, 01 Jan 2024 10:00:00 GMT", "Wed, 03 Jan 2024 10:00:00 GMT", "Sun, 31 Dec 2023 10:00:00 GMT",
             "Tue, 02 Jan 2024 10:00:00 GMT"]
    items = "".join(f"<item><title>n{n}</title><link>http://e.example/{n}</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    entries = parse_feed(_rss(items), url="http://e.example/feed").entries
    assert [e.title for e in entries] == ["n0", "n1", "n2", "n3"]
    assert [e.published_at.day for e in entries if e.published_at] == [1, 3, 31, 2]


SY = 'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("<ttl>15</ttl>", 900.0),
        ("<ttl> 90 </ttl><sy:updatePeriod>daily</sy:updatePeriod>", 5400.0),
        ("<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>", 900.0),
        ("<sy:updatePeriod>daily</sy:updatePeriod>", 86400.0),
        ("<sy:updatePeriod>fortnightly</sy:updatePeriod>", None),
        ("<ttl>soon</ttl>", None),
        ("<ttl>0</ttl>", None),
        ("", None),
    ],
)
def test_feed_ttl(channel: str, expected: float | None) -> None:
    body = _rss("<item><title>x</title><link>http://e.example/1</link></item>", channel=channel)
    body = body.replace(b'<rss version="2.0">', f'<rss version="2.0" {SY}>'.encode())
    assert parse_feed(body, url="http://e.example/feed").ttl_seconds == expected


def test_atom_feed_has_no_ttl() -> None:
    assert parse_feed(ATOM, url="https://haber.example/atom").ttl_seconds is None
