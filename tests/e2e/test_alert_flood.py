"""End-to-end: a flood of matching items in one scan is capped per chat (issue 12, item 7).

The real application in this process against the fake Bot API and feeds, with MAX_ALERTS_PER_SCAN=3: eight
different events about Idlib published at once give three alerts and ONE summary message listing the rest
with their links, sent once.
"""

from __future__ import annotations

import in_process
import pytest
from fakes import FeedItem
from test_end_to_end import USER, WAIT, Harness

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)
CAP = 3
TITLES = ["Idlib market reopens after repairs", "Bakery in Idlib receives flour shipment",
          "Idlib school exams postponed by a week", "Water prices rise sharply in Idlib",
          "Idlib football club wins regional cup", "Power cuts spread across Idlib",
          "New maternity ward opens in Idlib hospital", "Olive harvest begins in Idlib countryside"]


@pytest.fixture
def extra_settings() -> dict[str, str]:
    return {"MAX_ALERTS_PER_SCAN": str(CAP)}


def showing(h: Harness, links: list[str]) -> list[str]:
    return [str(m.get("text", "")) for m in h.inbox(USER) if any(link in str(m.get("text", "")) for link in links)]


async def test_a_flood_in_one_scan_gives_the_cap_in_alerts_and_one_summary_with_the_rest(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    items = [FeedItem(title, f"https://levant-news.example/en/flood-{n}", f"{title}, residents said.")
             for n, title in enumerate(TITLES)]
    links = [item.link for item in items]

    h.publish("en", *items)
    await h.app.wait_until(lambda: any("Too many reports at once" in text for text in showing(h, links)), WAIT,
                           f"the summary message; got {h.texts(USER)}")
    await h.settle(2.0)

    texts = showing(h, links)
    summaries = [text for text in texts if "Too many reports at once" in text]
    assert len(summaries) == 1, texts
    assert len(texts) == CAP + 1, texts
    assert all(any(link in text for text in texts) for link in links), "every item is alerted or summarised"
    assert len(summaries[0]) <= 4096
