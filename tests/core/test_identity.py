"""Tests for bot.core.feeds.identity: canonical links and stable entry identities."""

from __future__ import annotations

import pytest

from bot.core.feeds.identity import (
    MAX_IDENTITY_LENGTH,
    canonical_link,
    content_hash,
    entry_identity,
    reused_guid_identity,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/Path/Page?id=1#section", "https://example.com/Path/Page?id=1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com", "http://example.com/"),
        (
            "https://news.example/x?utm_source=tw&id=5&UTM_Medium=social&fbclid=abc&b=2&gclid=z",
            "https://news.example/x?id=5&b=2",
        ),
        ("https://e.example/x?utm_source=a&utm_campaign=b", "https://e.example/x"),
        ("https://e.example/x?q=a%20b&z=1&a=2", "https://e.example/x?q=a%20b&z=1&a=2"),
        ("https://e.example/x?flag&k=", "https://e.example/x?flag&k="),
        ("  https://e.example/x  ", "https://e.example/x"),
        ("https://user:pw@Example.com/x", "https://user:pw@example.com/x"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("/relative/path", "/relative/path"),
        ("not a url", "not a url"),
        ("http://example.com:notaport/x", "http://example.com:notaport/x"),
        ("http://[::1/x", "http://[::1/x"),
    ],
)
def test_canonical_link(url: str, expected: str) -> None:
    assert canonical_link(url) == expected


def test_canonical_link_is_idempotent() -> None:
    url = "HTTPS://Example.com:443/a/b?utm_term=x&k=v#frag"
    assert canonical_link(canonical_link(url)) == canonical_link(url)


def test_content_hash_is_stable_and_unambiguous() -> None:
    assert content_hash("a", "b") == content_hash("a", "b")
    assert len(content_hash("x")) == 64
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash("إدلب") != content_hash("ادلب")


def test_identity_prefers_guid() -> None:
    assert entry_identity(" tag:x,2024:1 ", "https://e.example/a", "t", "s") == "guid:tag:x,2024:1"


def test_identity_falls_back_to_canonical_link() -> None:
    a = entry_identity(None, "https://E.example/a?utm_source=rss#top", "t", "s")
    b = entry_identity("  ", "https://e.example/a", "other title", "other summary")
    assert a == b == "link:https://e.example/a"


def test_identity_falls_back_to_content_hash() -> None:
    a = entry_identity(None, None, "Title", "Summary  text")
    b = entry_identity("", "", " Title ", "Summary text")
    assert a == b
    assert a.startswith("hash:")
    assert entry_identity(None, None, "Title", "Other") != a


@pytest.mark.parametrize("prefix", ["guid", "link"])
def test_long_values_are_hashed_to_fit(prefix: str) -> None:
    long = "https://e.example/" + "x" * 400
    guid, link = (long, None) if prefix == "guid" else (None, long)
    identity = entry_identity(guid, link, "t", "s")
    assert len(identity) <= MAX_IDENTITY_LENGTH
    assert identity.startswith(f"{prefix}:sha256:")
    assert identity == entry_identity(guid, link, "other", "other")
    other = entry_identity(long + "y", None, "t", "s") if guid else entry_identity(None, long + "y", "t", "s")
    assert other != identity


def test_value_exactly_at_limit_is_kept() -> None:
    guid = "g" * (MAX_IDENTITY_LENGTH - len("guid:"))
    assert entry_identity(guid, None, "", "") == f"guid:{guid}"


def test_items_without_guid_or_link_keep_their_identity_across_fetches() -> None:
    first = entry_identity(None, None, "Shelling near  Saraqib", "Two killed,\n three hurt")
    again = entry_identity(None, "  ", "Shelling near Saraqib", "Two killed, three hurt")
    assert first == again and first.startswith("hash:")
    assert entry_identity(None, None, "Shelling near Saraqib", "Two killed") != first


def test_reused_guid_identity_is_stable_distinct_and_bounded() -> None:
    one = reused_guid_identity("slot-1", "https://e.example/story-b?utm_source=rss")
    assert one == reused_guid_identity(" slot-1 ", "https://E.example/story-b#top")
    assert one != reused_guid_identity("slot-1", "https://e.example/story-c")
    assert one != reused_guid_identity("slot-2", "https://e.example/story-b")
    assert one.startswith("reguid:") and len(one) <= MAX_IDENTITY_LENGTH
    long_guid = "g" * 1000
    assert len(reused_guid_identity(long_guid, "https://e.example/" + "x" * 3000)) <= MAX_IDENTITY_LENGTH
