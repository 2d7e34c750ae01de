"""Tests for bot.adapters.feeds.feed_bytes and legacy_charset: charset decisions and DOCTYPE defusing."""

from __future__ import annotations

import pytest

from bot.adapters.feeds.feed_bytes import declared_charset, defuse_doctype, prepare_feed_bytes
from bot.adapters.feeds.legacy_charset import legacy_charset, plausibility


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [("text/xml; charset=windows-1256", "windows-1256"), ('application/rss+xml;CHARSET="KOI8-R"', "KOI8-R"),
     ("text/xml; format=flowed; charset=utf-8", "utf-8"), ("application/xml", None), (None, None)],
)
def test_declared_charset(content_type: str | None, expected: str | None) -> None:
    assert declared_charset(content_type) == expected


def test_output_is_always_utf8_and_remembers_the_source_encoding() -> None:
    text = '<?xml version="1.0" encoding="windows-1251"?><rss><title>Идлиб</title></rss>'
    prepared = prepare_feed_bytes(text.encode("cp1251"), "text/xml")
    assert prepared.encoding == "cp1251"
    assert "Идлиб" in prepared.body.decode("utf-8")
    assert prepared.note is None


@pytest.mark.parametrize(
    ("label", "codec"),
    [("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"), ("iso-8859-9", "cp1254")],
)
def test_latin_labels_decode_with_their_superset(label: str, codec: str) -> None:
    body = f'<?xml version="1.0" encoding="{label}"?><rss><title>x\x93y\x94</title></rss>'.encode("latin-1")
    prepared = prepare_feed_bytes(body, None)
    assert prepared.encoding == codec
    assert "x\u201cy\u201d" in prepared.body.decode("utf-8")  # curly quotes, not C1 controls


def test_non_text_codec_labels_are_ignored() -> None:
    prepared = prepare_feed_bytes(b'<?xml version="1.0" encoding="base64"?><rss/>', "text/xml; charset=rot13")
    assert prepared.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("إدلب", "cp1256"), ("Идлиб", "cp1251"), ("Balık", "cp1254"), ("ışık", "cp1254"),
        ("سوريا: مقتل ثلاثة مدنيين في قصف", "cp1256"), ("В Сирии обстреляли колонну", "cp1251"),
        ("Ankara'dan açıklama: gözlem noktası güçlendirildi", "cp1254"),
    ],
)
def test_legacy_charset_guess(text: str, codec: str) -> None:
    body = f"<rss><title>{text}</title></rss>".encode(codec)
    assert legacy_charset(body) == codec


def test_wrong_decodings_score_below_the_right_one() -> None:
    runs = ["Сирийская армия нанесла удары".encode("cp1251")]
    scores = {codec: plausibility(runs, codec) for codec in ("cp1251", "cp1252", "cp1254", "cp1256")}
    assert max(scores, key=lambda codec: scores[codec]) == "cp1251"
    assert scores["cp1252"] < 0 and scores["cp1256"] < 0


def test_declared_language_breaks_ties() -> None:
    body = "<rss><title>Café crème</title></rss>".encode("cp1252")  # the same bytes in three code pages
    assert legacy_charset(body, "ar") == "cp1256"
    assert legacy_charset(body, "fr") == "cp1254"  # no preference: the first candidate of the tie
    assert legacy_charset(body, None).startswith("cp125")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("<rss/>", "<rss/>"),
        ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>',
         '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "b">\n]><rss/>'),
        ('<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "b">]><rss/>',
         '\n<!DOCTYPE rss [\n<!ENTITY a "b">\n]><rss/>'),
        ('<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p; <!ELEMENT rss ANY>]><rss/>',
         "\n<!DOCTYPE rss><rss/>"),
        ('<!DOCTYPE rss [<!ENTITY big "' + "a" * 33 + '"><!ENTITY nbsp "&#160;">]><rss/>',
         '\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n]><rss/>'),
        ('<!DOCTYPE rss [<!ENTITY l1 "&l0;&l0;">]><rss/>', "\n<!DOCTYPE rss><rss/>"),
        ('<!DOCTYPE rss [<!ENTITY tricky "]>"><!ENTITY ok "fine">]><rss>&ok;</rss>',
         '\n<!DOCTYPE rss [\n<!ENTITY ok "fine">\n]><rss>&ok;</rss>'),
        ('<!-- c --><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
         '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>',
         '<!-- c -->\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
         '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>'),
        ('<!DOCTYPE rss [<!ENTITY a "b" <rss/>', ""),  # unterminated: the declaration is dropped
        ('<!DOCTYPE rss [<!ENTITY a "b">]><rss/>]><x/>', '\n<!DOCTYPE rss [\n<!ENTITY a "b">\n]><rss/>]><x/>'),
    ],
)
def test_defuse_doctype(document: str, expected: str) -> None:
    assert defuse_doctype(document) == expected


def test_defuse_doctype_is_fast_on_a_huge_internal_subset() -> None:
    document = '<!DOCTYPE rss [<!ENTITY big "' + "a" * 5_000_000 + '">]><rss/>'
    assert defuse_doctype(document) == "\n<!DOCTYPE rss><rss/>"


def test_doctype_after_the_root_element_is_left_to_the_parser() -> None:
    document = '<rss><!DOCTYPE x [<!ENTITY a "b">]></rss>'
    assert defuse_doctype(document) == document
