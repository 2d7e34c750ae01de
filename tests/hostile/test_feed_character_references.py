"""One bad numeric character reference never costs a feed its other entries (issue 12, item 6)."""

from __future__ import annotations

import pytest
from linear_time import assert_linear

from bot.adapters.feeds.feed_parser import parse_feed
from bot.core.feeds.char_refs import repair_character_references


def _feed(title: str) -> bytes:
    items = "".join(f"<item><title>{text}</title><link>https://news.example/{number}</link></item>"
                    for number, text in enumerate(["Before", title, "After"]))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("&#55357;&#56613;", "Fire 🔥 in Idlib"), ("&#xD83D;&#xDD25;", "Fire 🔥 in Idlib"),
     ("&#xD800;", "Fire in Idlib"), ("&#56613;", "Fire in Idlib"), ("&#x110000;", "Fire in Idlib"),
     ("&#99999999999;", "Fire in Idlib"), ("&#1;", "Fire in Idlib"), ("&#xFFFF;", "Fire in Idlib")],
)
def test_a_bad_character_reference_keeps_the_other_entries(reference: str, expected: str) -> None:
    parsed = parse_feed(_feed(f"Fire {reference} in Idlib"), url="https://news.example/rss")
    assert [entry.title for entry in parsed.entries] == ["Before", expected, "After"]


def test_surrogate_pairs_are_joined_and_valid_references_kept_as_written() -> None:
    assert repair_character_references("&#55357;&#56613;&#233;&amp;") == "&#x1F525;&#233;&amp;"
    assert repair_character_references("&#xD83D;&#xD83D;&#xDD25;") == "&#x1F525;"  # a lone high half is dropped
    assert repair_character_references("caf&#233; &#x41; &#10;") == "caf&#233; &#x41; &#10;"
    assert repair_character_references("no references & no problem") == "no references & no problem"


def test_character_reference_repair_is_linear() -> None:
    assert_linear(repair_character_references, lambda n: "&#55357;" * (n // 8))
    assert_linear(repair_character_references, lambda n: "&#1234567890" * (n // 12))
