"""Tests for bot.core.feeds.novelty: guid reuse, re-publication with edited titles, and stable identities."""

from __future__ import annotations

import pytest

from bot.core.feeds.identity import entry_identity, reused_guid_identity
from bot.core.feeds.novelty import (
    KnownEntries,
    KnownEntry,
    lookup_identities,
    lookup_links,
    new_entries,
    same_story,
    similar_titles,
)
from bot.core.models import ParsedEntry


def parsed(title: str, link: str | None = None, guid: str | None = None, summary: str = "") -> ParsedEntry:
    return ParsedEntry(identity=entry_identity(guid, link, title, summary), title=title, summary=summary,
                       link=link, guid=guid)


def known(entry: ParsedEntry, identity: str | None = None) -> KnownEntry:
    return KnownEntry(identity or entry.identity, entry.link, entry.title)


STORY_A = parsed("Shelling hits villages near Idlib", "https://e.example/a", "slot-1")


@pytest.mark.parametrize(
    ("first", "second", "similar"),
    [
        ("Shelling hits villages near Idlib", "UPDATE: shelling hits three villages near Idlib", True),
        ("Clashes on the M4 highway", "Clashes on the M4 highway, 5 killed", True),
        ("قصف على ريف إدلب الجنوبي", "قصف عنيف على ريف إدلب الجنوبي اليوم", True),
        ("Shelling hits villages near Idlib", "Bread prices rise in Aleppo markets", False),
        ("Обстрел в Идлибе", "Курс рубля вырос", False),
        ("", "Anything at all", True),
    ],
)
def test_similar_titles(first: str, second: str, similar: bool) -> None:
    assert similar_titles(first, second) is similar
    assert similar_titles(second, first) is similar


def test_same_story_needs_different_links_and_titles_to_differ() -> None:
    stored = known(STORY_A)
    assert same_story(stored, parsed("Bread prices rise in Aleppo", "https://e.example/a?utm_source=x", "slot-1"))
    assert same_story(stored, parsed("Shelling hits villages near Idlib city", "https://e.example/z", "slot-1"))
    assert same_story(stored, parsed("Bread prices rise in Aleppo", None, "slot-1"))
    assert not same_story(stored, parsed("Bread prices rise in Aleppo", "https://e.example/b", "slot-1"))


def test_unknown_entries_are_new_under_their_own_identity() -> None:
    fresh = parsed("Convoy crosses into Idlib", "https://e.example/c", "g-3")
    assert new_entries([fresh], []) == [fresh]


def test_known_identity_with_an_edited_title_is_not_new() -> None:
    edited = parsed("UPDATE: shelling hits three villages near Idlib", "https://e.example/a", "slot-1")
    assert new_entries([edited], [known(STORY_A)]) == []


def test_guid_reused_for_a_different_story_is_new_under_a_stable_identity() -> None:
    other = parsed("Bread prices rise in Aleppo markets", "https://e.example/b", "slot-1")
    (fresh,) = new_entries([other], [known(STORY_A)])
    assert fresh.identity == reused_guid_identity("slot-1", "https://e.example/b")
    assert (fresh.title, fresh.link, fresh.guid) == (other.title, other.link, other.guid)
    # next fetch: storage now also holds the reused-guid identity, so nothing is new
    assert new_entries([other], [known(STORY_A), known(fresh)]) == []
    # and an edit of the second story is still the second story
    edited = parsed("Bread prices rise again in Aleppo markets", "https://e.example/b", "slot-1")
    assert new_entries([edited], [known(STORY_A), known(fresh)]) == []


def test_republished_with_a_new_guid_and_the_same_link_is_not_new() -> None:
    republished = parsed("Shelling hits three villages near Idlib", "https://e.example/a?utm_medium=rss", "new-9")
    assert new_entries([republished], [known(STORY_A)]) == []


def test_same_link_but_an_unrelated_title_is_a_new_story() -> None:
    # feeds that point every item at one page (a live blog, the home page) still alert each story
    live = parsed("Bread prices rise in Aleppo markets", "https://e.example/a", "new-10")
    assert new_entries([live], [known(STORY_A)]) == [live]


def test_entries_without_guid_rely_on_their_identity() -> None:
    by_link = parsed("Clashes near Saraqib", "https://e.example/s")
    edited = parsed("Clashes near Saraqib, two dead", "https://e.example/s")
    assert edited.identity == by_link.identity
    assert new_entries([edited], [known(by_link)]) == []
    by_hash = parsed("Quiet night in Idlib")
    assert new_entries([by_hash], [known(by_hash)]) == []
    assert new_entries([parsed("Quiet night in Idlib city")], [known(by_hash)]) != []


def test_output_keeps_input_order_and_drops_repeated_identities() -> None:
    a, b, c = (parsed(f"Story {n}", f"https://e.example/{n}", f"g{n}") for n in "abc")
    assert new_entries([c, a, b, a], []) == [c, a, b]


def test_lookups_cover_identities_reuse_identities_and_both_link_forms() -> None:
    entry = parsed("x", "https://E.example/a?utm_source=rss", "slot-1")
    no_guid = parsed("y", "https://e.example/y")
    assert lookup_identities([entry, no_guid, entry]) == [
        "guid:slot-1", reused_guid_identity("slot-1", "https://E.example/a?utm_source=rss"), no_guid.identity]
    assert lookup_links([entry, no_guid]) == [
        "https://E.example/a?utm_source=rss", "https://e.example/a", "https://e.example/y"]


def test_known_entries_index_tolerates_extra_rows() -> None:
    unrelated = KnownEntry("guid:zzz", "https://e.example/zzz", "Something else")
    index = KnownEntries([unrelated, known(STORY_A)])
    assert index.novel_identity(STORY_A) is None
    assert index.novel_identity(parsed("New", "https://e.example/new", "g-new")) == "guid:g-new"
