"""The per-chat alert cap of a scan cycle and its summary message (issue 12, item 7): pure core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fakes.html_check import balanced

from bot.core.delivery.alert_cap import AlertCap, Candidate
from bot.core.delivery.digest import MAX_SUMMARY_STORIES, DigestItem, render_summary
from bot.core.interface.formatting import TELEGRAM_LIMIT
from bot.core.interface.i18n import Texts

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def candidate(story: int, minutes_ago: int | None, chat: int = 1, **flags: bool) -> Candidate:
    published = NOW - timedelta(minutes=minutes_ago) if minutes_ago is not None else None
    return Candidate(chat, ("story", story), published, **flags)


def summarised(cap: AlertCap, candidates: list[Candidate]) -> list[int]:
    return [c.story[1] for c, over in zip(candidates, cap.split(candidates), strict=True) if over]  # type: ignore[index]


def test_the_newest_stories_up_to_the_cap_are_alerted_and_the_rest_summarised() -> None:
    cap = AlertCap(3, NOW)
    assert summarised(cap, [candidate(n, minutes_ago=n) for n in reversed(range(10))]) == list(range(9, 2, -1))
    assert cap.summarised == 7


def test_undated_entries_count_as_the_newest() -> None:
    cap = AlertCap(1, NOW)
    assert summarised(cap, [candidate(1, minutes_ago=5), candidate(2, minutes_ago=None)]) == [1]


def test_reports_of_one_story_count_once_and_go_the_same_way() -> None:
    cap = AlertCap(2, NOW)
    candidates = [candidate(n % 3, minutes_ago=n) for n in range(9)]
    assert sorted(set(summarised(cap, candidates))) == [2]
    assert cap.summarised == 3


def test_urgent_matches_come_before_newer_ones() -> None:
    cap = AlertCap(2, NOW)
    candidates = [candidate(1, 1), candidate(2, 2), candidate(3, 300, urgent=True)]
    assert summarised(cap, candidates) == [2]


def test_a_story_the_chat_already_has_is_free() -> None:
    cap = AlertCap(1, NOW)
    candidates = [candidate(1, 1), candidate(2, 2), candidate(9, 500, known=True)]
    assert summarised(cap, candidates) == [2]
    assert cap.remaining(1) == 0


def test_the_allowance_holds_across_the_cycles_checks_and_per_chat() -> None:
    cap = AlertCap(2, NOW)
    assert summarised(cap, [candidate(1, 1), candidate(2, 2, chat=2)]) == []
    assert cap.may_overflow([candidate(3, 1), candidate(4, 1)]) == {1}
    assert summarised(cap, [candidate(3, 1), candidate(4, 1), candidate(5, 1, chat=2)]) == [4]
    assert cap.may_overflow([candidate(1, 9)]) == set(), "a story already alerted in the cycle rides along"
    assert cap.may_overflow([candidate(7, 9)]) == {1}
    assert summarised(cap, [candidate(4, 0)]) == [4], "a summarised story stays summarised in the cycle"


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        AlertCap(0, NOW)


def items(count: int, title: str = "Shelling near Idlib", sources: int = 1) -> list[DigestItem]:
    return [DigestItem(title=f"{title} {n}", source=f"Wire {s}", link=f"https://w{s}.example/{n}?a=1&b=2", story=n)
            for n in range(count) for s in range(sources)]


@pytest.mark.parametrize(("count", "title", "sources"), [
    (3, "Shelling near Idlib", 1), (5_000, "Shelling near Idlib", 1), (60, "<b>&amp; " * 60, 1),
    (45, "Convoy", 40)])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_summary_is_one_message_under_the_limit_with_valid_html(count: int, title: str, sources: int,
                                                                  lang: str) -> None:
    text = render_summary(items(count, title, sources), Texts(lang))
    assert len(text) <= TELEGRAM_LIMIT
    assert balanced(text)
    assert f"Reports: {count * sources}" in text.replace("\u2068", "").replace("\u2069", "")
    listed = text.count("•")
    assert 1 <= listed <= min(count, MAX_SUMMARY_STORIES)
    if listed < count:
        assert "… and more stories:" in text
        assert str(count - listed) in text


def test_a_short_summary_lists_every_story_and_no_remainder() -> None:
    text = render_summary(items(3), Texts("en"))
    assert text.count("•") == 3 and "more stories" not in text
    assert "Reports: 3, stories: 3" in text
