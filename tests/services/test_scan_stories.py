"""The scan puts matched entries in stories: one story per event across feeds, in the same transaction as
the entry and its outbox rows; sources are sites, pivots come from the translation service."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import timedelta

import pytest
from scan_world import NEWS, OTHER, World, entry
from service_fakes import FakeClock, FakeTranslator, outbox_rows
from sqlalchemy import select

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.models import FeedConfig, ParsedEntry
from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord
from bot.services.stories import ClusteringRules, StoryReports

ARABIC = FeedConfig("Arabic Wire", "https://www.wire.example/ar/rss", "ar")
SAME_OUTLET = FeedConfig("Syria News (ar)", "https://feeds.news.example/ar/rss", "ar")


class RecordingRules(ClusteringRules):
    """The real decision, recording each report it was asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[Report] = []

    def choose(self, report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None:
        self.reports.append(report)
        return super().choose(report, features, open_stories)


@pytest.fixture
def rules() -> RecordingRules:
    return RecordingRules()


@pytest.fixture
def world(storage: Storage, clock: FakeClock, rules: RecordingRules) -> World:
    translator = FakeTranslator({("انفجار في إدلب", "en"): "Explosion in Idlib"})
    world = World(storage, clock, translator)
    world.scan.stories = StoryReports(world.translation, rules)
    return world


def linked(item: ParsedEntry, link: str) -> ParsedEntry:
    return dataclasses.replace(item, link=link)


async def entry_stories(storage: Storage) -> dict[str, int | None]:
    e = db.entries
    async with storage.engine.connect() as conn:
        return {row.identity: row.story_id for row in await conn.execute(select(e.c.identity, e.c.story_id))}


async def test_two_sites_reporting_one_event_make_one_story(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("a", "Explosion in Idlib", clock))
    world.serve(OTHER, linked(entry("b", "Explosion in Idlib", clock, age=timedelta(minutes=5)),
                              "https://other.example/b"))

    await world.scan.run_cycle()

    stories = await entry_stories(world.storage)
    assert None not in stories.values()
    assert len(set(stories.values())) == 1
    rows = await outbox_rows(world.storage)
    assert {row["story_id"] for row in rows} == set(stories.values())
    [story] = await world.storage.open_stories(clock() - timedelta(days=2))
    assert story.sources == {"news.example", "other.example"}
    assert story.first_published == clock() - timedelta(minutes=10)
    assert story.last_published == clock() - timedelta(minutes=5)


async def test_different_events_make_different_stories(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("a", "Explosion in Idlib", clock), entry("b", "Idlib market reopens", clock))

    await world.scan.run_cycle()

    stories = await entry_stories(world.storage)
    assert None not in stories.values()
    assert len(set(stories.values())) == 2


async def test_unmatched_entries_join_no_story(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("a", "Weather in Aleppo", clock))

    await world.scan.run_cycle()

    assert await entry_stories(world.storage) == {"a": None}
    assert await world.storage.open_stories(clock() - timedelta(days=2)) == []


async def test_reports_carry_the_site_and_an_english_pivot(world: World, clock: FakeClock,
                                                           rules: RecordingRules) -> None:
    await world.add_feeds(ARABIC, SAME_OUTLET)
    await world.subscribe(1, "en")
    world.serve(ARABIC, linked(entry("a", "انفجار في إدلب", clock, lang="ar"), "https://wire.example/ar/1"))
    world.serve(SAME_OUTLET, linked(entry("b", "انفجار في إدلب", clock, lang="ar"), "https://www.news.example/ar/2"))

    await world.scan.run_cycle()

    by_link = {report.link: report for report in rules.reports}
    assert by_link["https://wire.example/ar/1"].source == "wire.example"
    assert by_link["https://www.news.example/ar/2"].source == "news.example"
    assert {report.pivot for report in rules.reports} == {"Explosion in Idlib"}


async def test_english_entries_are_their_own_pivot_and_future_dates_are_clamped(
        world: World, clock: FakeClock, rules: RecordingRules) -> None:
    await world.add_feeds(NEWS)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("a", "Idlib convoy", clock, summary="On the M4.", age=timedelta(hours=-3)))

    await world.scan.run_cycle()

    [report] = rules.reports
    assert report.pivot == "Idlib convoy\nOn the M4."
    assert report.published == clock()
    assert not [call for call in world.translator.calls if call[2] == "en"]


async def test_a_report_after_the_window_starts_a_new_story(world: World, clock: FakeClock) -> None:
    await world.add_feeds(NEWS, OTHER)
    await world.subscribe(1, "en")
    world.serve(NEWS, entry("a", "Explosion in Idlib", clock))
    world.serve(OTHER)
    await world.scan.run_cycle()
    clock.advance(hours=40)
    world.serve(OTHER, linked(entry("b", "Explosion in Idlib", clock), "https://other.example/b"))

    await world.scan.run_cycle()

    assert len(set((await entry_stories(world.storage)).values())) == 2
    assert len(await world.storage.open_stories(clock() - timedelta(hours=36))) == 1


