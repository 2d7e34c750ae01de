"""The per-chat alert cap of a scan cycle (issue 12, item 7): at most N new stories are alerted per chat and
cycle, urgent keywords first, then the newest; the rest go out as ONE summary message through the outbox
and the pacer (real SQLite, the recording fakes, the real DeliveryService)."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from fakes.html_check import balanced
from scan_world import NEWS, OTHER, World, entry
from service_fakes import IDLIB, EventClustering, FakeClock, FakeMonotonic, FakeSender, outbox_rows

from bot.adapters.storage.database import Storage
from bot.core.models import Concept, ParsedEntry
from bot.errors import TemporarySendError
from bot.i18n import Catalogues
from bot.services.delivery import DeliveryService
from bot.services.delivery_modes import DeliveryModes
from bot.services.stories import StoryReports

CAP = 5
BUDGET = timedelta(seconds=60)
CHAT = 1
SARAQIB = Concept(key="saraqib", label="Saraqib", terms={"en": ("Saraqib",)}, builtin=True)


@pytest.fixture
def events() -> dict[str, str]:
    """Links that report one event (link -> event name); other links are stories of their own."""
    return {}


@pytest.fixture
def world(storage: Storage, clock: FakeClock, events: dict[str, str]) -> World:
    world = World(storage, clock, max_alerts_per_chat=CAP, cycle_budget=BUDGET)
    world.scan.stories = StoryReports(world.translation, EventClustering(events))
    return world


@pytest.fixture
def delivery(storage: Storage, sender: FakeSender, clock: FakeClock, monotonic: FakeMonotonic) -> DeliveryService:
    modes = DeliveryModes(storage, Catalogues.load().texts)
    return DeliveryService(storage, sender, clock, modes=modes, monotonic=monotonic, sleep=monotonic.sleep)


def flood(clock: FakeClock, count: int, prefix: str = "e", word: str = "Idlib") -> list[ParsedEntry]:
    """`count` matching items, item 0 the newest (the feed lists them oldest first)."""
    return [entry(f"{prefix}{n}", f"{word} report {prefix}{n}", clock, age=timedelta(minutes=n + 1))
            for n in reversed(range(count))]


def identity(row: dict[str, object]) -> str:
    return str(row["text"]).split("report ")[1].split("<")[0].split("\n")[0]


async def test_one_cycle_queues_at_most_the_cap_per_chat_and_summarises_the_rest(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *flood(clock, 30))

    report = await world.scan.run_cycle()

    assert (report.alerts, report.summarised) == (30, 30 - CAP)
    rows = await outbox_rows(world.storage)
    alerts = [row for row in rows if not row["summary"]]
    assert sorted(identity(row) for row in alerts) == [f"e{n}" for n in range(CAP)]  # the newest
    assert {row["next_attempt_at"] for row in rows if row["summary"]} == {clock() + BUDGET}

    await delivery.drain()
    assert len(sender.sent) == CAP  # the summary waits for the end of the cycle
    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()

    assert len(sender.sent) == CAP + 1
    summary = sender.sent[-1].text
    assert "Reports: 25, stories: 25" in summary
    assert len(summary) <= 4096 and balanced(summary)
    assert "https://news.example/e5" in summary
    listed = re.findall(r"Idlib report (e\d+)", summary)
    assert listed == [f"e{n}" for n in range(CAP, 30)], "newest first"
    assert {row["status"] for row in await outbox_rows(world.storage)} == {"sent"}
    await delivery.drain()
    assert len(sender.sent) == CAP + 1, "nothing is sent twice"


async def test_a_huge_overflow_is_one_summary_message_that_counts_what_it_cannot_list(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *flood(clock, 100))  # the per-fetch cap is 100 new entries
    world.serve(OTHER, *flood(clock, 100, prefix="o"))

    report = await world.scan.run_cycle()
    assert report.summarised == 200 - CAP
    clock.advance(seconds=BUDGET.total_seconds())
    for _ in range(3):
        await delivery.drain()

    assert len(sender.sent) == CAP + 1
    summary = sender.sent[-1].text
    assert f"Reports: {200 - CAP}, stories: {200 - CAP}" in summary
    assert "… and more stories:" in summary
    assert len(summary) <= 4096 and balanced(summary)
    assert {row["status"] for row in await outbox_rows(world.storage)} == {"sent"}


async def test_reports_of_one_story_count_once_against_the_cap(
        world: World, clock: FakeClock, events: dict[str, str], delivery: DeliveryService,
        sender: FakeSender) -> None:
    items = flood(clock, 2 * 2 * CAP)
    events.update({item.link: f"event {n // 2}" for n, item in enumerate(items) if item.link})
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *items)

    await world.scan.run_cycle()

    rows = await outbox_rows(world.storage)
    assert len({row["story_id"] for row in rows}) == 2 * CAP
    assert len({row["story_id"] for row in rows if not row["summary"]}) == CAP
    assert not {row["story_id"] for row in rows if row["summary"]} & {row["story_id"] for row in rows
                                                                      if not row["summary"]}
    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()
    assert len(sender.sent) == CAP + 1  # one alert per story, and the summary
    assert f"Reports: {2 * CAP}, stories: {CAP}" in sender.sent[-1].text


async def test_urgent_keyword_matches_are_alerted_before_newer_ones(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    assert await world.storage.subscribe(CHAT, "en", [IDLIB, SARAQIB], clock())
    assert await world.storage.set_urgent(CHAT, "saraqib", True)
    newer = flood(clock, 10)
    older = [entry(f"s{n}", f"Saraqib report s{n}", clock, age=timedelta(hours=2, minutes=n)) for n in range(3)]
    world.serve(NEWS, *older, *newer)

    await world.scan.run_cycle()

    alerted = sorted(identity(row) for row in await outbox_rows(world.storage) if not row["summary"])
    assert alerted == ["e0", "e1", "s0", "s1", "s2"]


async def test_the_allowance_is_shared_by_a_cycles_feeds_and_renewed_the_next_cycle(
        world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(CHAT, "en")
    await world.subscribe(2, "en")
    world.serve(NEWS, *flood(clock, 4))
    world.serve(OTHER, *flood(clock, 4, prefix="o"))

    await world.scan.run_cycle()

    rows = await outbox_rows(world.storage)
    for chat_id in (CHAT, 2):
        mine = [row for row in rows if row["chat_id"] == chat_id]
        assert (len(mine), sum(not row["summary"] for row in mine)) == (8, CAP)
    clock.advance(seconds=INTERVAL_AND_A_BIT)
    world.serve(NEWS, *flood(clock, 3, prefix="n"), body=b"second")
    await world.scan.run_cycle()
    fresh = [row for row in await outbox_rows(world.storage) if identity(row).startswith("n")]
    assert len(fresh) == 6 and not any(row["summary"] for row in fresh)


INTERVAL_AND_A_BIT = 6 * 60


async def test_a_report_of_a_story_the_chat_already_has_is_never_capped(
        world: World, clock: FakeClock, events: dict[str, str]) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(CHAT, "en")
    first = entry("x", "Idlib explosion", clock)
    events.update({"https://news.example/x": "blast", "https://other.example/x2": "blast"})
    world.serve(NEWS, first)
    await world.scan.run_cycle()

    clock.advance(seconds=INTERVAL_AND_A_BIT)
    again = entry("x2", "Idlib explosion, more", clock, age=timedelta(hours=3))  # older than the flood
    world.serve(OTHER, dataclasses.replace(again, link="https://other.example/x2"), *flood(clock, 10))
    world.serve(NEWS)
    await world.scan.run_cycle()

    rows = await outbox_rows(world.storage)
    [update] = [row for row in rows if "more" in str(row["text"])]
    assert not update["summary"] and update["story_id"] == rows[0]["story_id"]
    assert sum(not row["summary"] for row in rows[1:]) == CAP + 1  # the update, and CAP new stories


async def test_a_chat_that_left_gets_no_summary(world: World, clock: FakeClock, delivery: DeliveryService,
                                                sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *flood(clock, 12))
    await world.scan.run_cycle()
    await delivery.drain()
    assert await world.storage.unsubscribe(CHAT, clock())

    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()

    assert len(sender.sent) == CAP
    assert {row["status"] for row in await outbox_rows(world.storage) if row["summary"]} == {"cancelled"}


async def test_a_summary_that_fails_to_send_is_kept_whole_and_sent_once(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *flood(clock, 12))
    await world.scan.run_cycle()
    await delivery.drain()
    sender.script[CHAT] = [TemporarySendError("network down")]

    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()
    assert len(sender.sent) == CAP
    assert {row["status"] for row in await outbox_rows(world.storage) if row["summary"]} == {"pending"}
    clock.advance(minutes=5)
    await delivery.drain()
    await delivery.drain()

    assert len(sender.sent) == CAP + 1
    assert "Reports: 7, stories: 7" in sender.sent[-1].text
    assert {row["status"] for row in await outbox_rows(world.storage)} == {"sent"}


async def test_the_summary_is_in_the_chats_interface_language(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "ru")
    assert await world.storage.set_preferences(CHAT, clock(), interface_language="ru")
    world.serve(NEWS, *flood(clock, 8))
    await world.scan.run_cycle()

    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()

    summary = sender.sent[-1].text
    assert "Сообщений: 3, сюжетов: 3" in summary
    assert "[ru] Idlib report e5" in summary  # titles translated into the chat's language (from the cache)


async def test_a_feed_of_twenty_thousand_items_gives_100_entries_a_cycle_and_the_cap_in_alerts(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    world.serve(NEWS, *flood(clock, 20_000))

    report = await world.scan.run_cycle()

    assert report.new_entries == 100, "at most 100 new entries per feed and cycle (one check each), the newest"
    rows = await outbox_rows(world.storage)
    assert sorted(identity(row) for row in rows if not row["summary"]) == [f"e{n}" for n in range(CAP)]
    assert sum(row["summary"] for row in rows) == 100 - CAP
    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()
    await delivery.drain()
    assert len(sender.sent) == CAP + 1
    assert f"Reports: {100 - CAP}, stories: {100 - CAP}" in sender.sent[-1].text


async def test_a_chat_in_digest_mode_gets_the_rows_over_the_cap_in_its_digest(
        world: World, clock: FakeClock, delivery: DeliveryService, sender: FakeSender) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(CHAT, "en")
    assert await world.storage.set_preferences(CHAT, clock(), digest_mode="hourly")
    world.serve(NEWS, *flood(clock, 12))
    await world.scan.run_cycle()

    await delivery.drain()
    clock.advance(seconds=BUDGET.total_seconds())
    await delivery.drain()
    assert sender.sent == [], "nothing rings before the digest, summary rows included"

    clock.advance(hours=1)
    await delivery.drain()
    assert len(sender.sent) == 1 and "Digest. Reports: 12" in sender.sent[0].text
    assert {row["status"] for row in await outbox_rows(world.storage)} == {"sent"}
