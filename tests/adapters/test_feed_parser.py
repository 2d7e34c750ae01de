"""Tests for bot.adapters.feed_parser: real-world feed shapes, charsets, and hostile input."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from bot.adapters.feed_parser import ParsedFeed, language_code, parse_feed
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
