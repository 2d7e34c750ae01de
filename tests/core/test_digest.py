"""Digests: held alerts grouped by story, each source with its own link, split under Telegram's limit."""

from __future__ import annotations

from bot.core.delivery.digest import DigestItem, group_stories, render_digest
from bot.core.interface.i18n import Texts


def item(title: str, source: str, link: str | None = None, story: int | None = None) -> DigestItem:
    return DigestItem(title=title, source=source, link=link or f"https://{source.lower()}.example/{hash(title) % 999}",
                      story=story)


def test_reports_of_one_story_are_one_line_whatever_their_titles() -> None:
    items = [
        item("Shelling hits Saraqib on the M4 highway", "Wire A", story=1),
        item("Aid convoy crosses Bab al-Hawa", "Wire B", story=2),
        item("قصف على سراقب", "Wire C", story=1),
        item("Different", "Wire D", link="https://same.example/1"),
        item("Unrelated words entirely", "Wire E", link="https://same.example/1"),
        item("Shelling hits Saraqib on the M4 highway", "Wire F", story=3),
    ]
    stories = group_stories(items)
    assert [[i.source for i in s.items] for s in stories] == [["Wire A", "Wire C"], ["Wire B"], ["Wire D", "Wire E"],
                                                             ["Wire F"]]


def test_items_without_a_story_or_link_stay_apart() -> None:
    items = [DigestItem("Same words here", "A", None), DigestItem("Same words here", "B", None)]
    assert len(group_stories(items)) == 2


def test_digest_lists_each_story_once_with_every_source_link() -> None:
    items = [item("Shelling hits Saraqib on the M4 highway", "Wire A", story=5),
             item("Saraqib shelling: M4 highway hit again", "Wire C", story=5),
             item("Convoy <b>reaches</b> Idlib", "Wire B", story=6)]
    [text] = render_digest(items, Texts("en"))

    assert text.startswith("🗞")
    assert text.count("• ") == 2
    assert all(f'href="{i.link}"' in text for i in items)
    assert "&lt;b&gt;reaches&lt;/b&gt;" in text  # feed text is escaped


def test_long_digest_is_split_under_the_limit() -> None:
    items = [item(" ".join(f"w{n}x{k}" for k in range(40)), f"Source {n}") for n in range(60)]
    texts = render_digest(items, Texts("en"))
    assert len(texts) > 1 and all(len(t) <= 4096 for t in texts)
    assert sum(t.count("• ") for t in texts) == 60


def test_arabic_digest_lines_start_right_to_left() -> None:
    [text] = render_digest([item("Saraqib", "Wire A")], Texts("ar"))
    assert all(line.startswith("\u200f") for line in text.splitlines() if line.strip())
