"""OPML: our feeds written as OPML 2.0 and read back; foreign subscription lists read with reasons for skips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.feeds.opml import MAX_OPML_BYTES, MAX_OPML_FEEDS, OpmlError, parse_opml, render_opml
from bot.core.models import FeedConfig

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
FEEDS = [FeedConfig("Enab Baladi (AR)", "https://www.enabbaladi.net/feed/", "ar"),
         FeedConfig("Haber & <Dünya>", "https://example.com.tr/rss?a=1&b=2", "tr"),
         FeedConfig("Новости", "https://example.ru/rss.xml", "ru")]


def test_our_export_reads_back_as_the_same_feeds() -> None:
    document = render_opml(FEEDS, "Idlib M4 alert bot feeds", NOW)
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'xmlUrl="https://example.com.tr/rss?a=1&amp;b=2"' in document
    read = parse_opml(document)
    assert read.feeds == FEEDS and read.skipped == []


def test_a_feed_readers_export_with_folders_and_locales_is_flattened() -> None:
    document = b"""<?xml version="1.0"?>
    <opml version="1.0"><head><title>My reader</title></head><body>
      <outline text="Syria">
        <outline text="Syria Direct" type="rss" xmlUrl="https://syriadirect.org/feed/" language="en-US"/>
        <outline title="BBC Arabic" text="bbc" type="rss" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml"
                 language="ar_SY"/>
      </outline>
      <outline text="a note without a feed"/>
    </body></opml>"""
    read = parse_opml(document)
    assert [(f.name, f.lang) for f in read.feeds] == [("Syria Direct", "en"), ("BBC Arabic", "ar")]


def test_outlines_that_cannot_be_used_are_skipped_with_a_reason() -> None:
    document = b"""<opml version="2.0"><body>
      <outline text="No language" xmlUrl="https://a.example/rss"/>
      <outline text="French" xmlUrl="https://b.example/rss" language="fr"/>
      <outline text="FTP" xmlUrl="ftp://c.example/rss" language="en"/>
      <outline text="Good" xmlUrl="https://d.example/rss" language="en"/>
      <outline text="Good again" xmlUrl="https://d.example/rss" language="en"/>
    </body></opml>"""
    read = parse_opml(document)
    assert [f.name for f in read.feeds] == ["Good"]
    assert [(s.label, s.reason.split(" ")[0], s.params) for s in read.skipped] == [
        ("No language", "no", {}), ("French", "language", {"lang": "fr"}), ("FTP", "not", {}),
        ("Good again", "listed", {})]
    with_default = parse_opml(document, default_lang="tr")
    assert [(f.name, f.lang) for f in with_default.feeds] == [("No language", "tr"), ("Good", "en")]


def test_the_number_of_feeds_is_capped() -> None:
    outlines = b"".join(b'<outline text="f%d" xmlUrl="https://x.example/%d" language="en"/>' % (i, i)
                        for i in range(MAX_OPML_FEEDS + 3))
    read = parse_opml(b"<opml><body>" + outlines + b"</body></opml>")
    assert len(read.feeds) == MAX_OPML_FEEDS and len(read.skipped) == 3
    assert read.skipped[0].params == {"limit": str(MAX_OPML_FEEDS)}


@pytest.mark.parametrize("document", [
    b"not xml at all",
    b"<rss><channel/></rss>",
    b"<opml version='2.0'><head/></opml>",
    b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<opml><body><outline text="&b;" xmlUrl="https://x.example" language="en"/></body></opml>',
    b"<opml><body>" + b" " * MAX_OPML_BYTES + b"</body></opml>",
])
def test_documents_that_are_not_opml_subscription_lists_are_refused_with_a_reason(document: bytes) -> None:
    with pytest.raises(OpmlError) as refused:
        parse_opml(document)
    assert refused.value.message and str(refused.value)
