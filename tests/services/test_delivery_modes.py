"""Quiet hours, digests, urgent keywords and mutes, applied by the sender (real SQLite, fake sender and clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from service_fakes import IDLIB, EventClustering, FakeClock, FakeMonotonic, FakeSender, outbox_rows, story_reports

from bot.adapters.storage.database import Storage
from bot.core.models import Delivery, FeedConfig, ParsedEntry
from bot.services.delivery import DeliveryService

CHAT = 77
MIDNIGHT_IN_DAMASCUS = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)


@pytest.fixture
def delivery(storage: Storage, sender: FakeSender, clock: FakeClock, monotonic: FakeMonotonic) -> DeliveryService:
    return DeliveryService(storage, sender, clock, monotonic=monotonic,
                           sleep=monotonic.sleep)


async def publish(storage: Storage, now: datetime, stories: list[tuple[str, str]], *, keyword: str = "idlib",
                  feed: str = "Wire", events: dict[str, str] | None = None) -> int:
    """Store (title, link) entries from one feed with an alert each for CHAT; returns the feed id. With
    `events` (link -> event name), the entries join stories: one per event name."""
    config = FeedConfig(feed, f"https://{feed.lower()}.example/rss", "en")
    stored = await storage.add_feed(config, now)
    entries = [ParsedEntry(identity=link, title=title, summary="", link=link, lang="en") for title, link in stories]
    await storage.store_fetch_result(
        stored.id, entries=entries, etag=None, last_modified=None, now=now, next_check_at=now + timedelta(hours=1),
        deliveries={e.identity: [Delivery(CHAT, f"🔔 {e.title}\n{e.link}", keyword)] for e in entries},
        reports=story_reports(config, entries, now) if events is not None else None,
        clustering=EventClustering(events or {}),
    )
    return stored.id


async def subscribe(storage: Storage, now: datetime, **prefs: object) -> None:
    await storage.subscribe(CHAT, "en", [IDLIB], now)
    await storage.set_preferences(CHAT, now, time_zone="Asia/Damascus", **prefs)


async def test_quiet_hours_send_silently_in_the_subscribers_night(storage: Storage, sender: FakeSender,
                                                                   delivery: DeliveryService, clock: FakeClock) -> None:
    clock.now = MIDNIGHT_IN_DAMASCUS
    await subscribe(storage, clock(), quiet_start=23 * 60, quiet_end=7 * 60)
    await publish(storage, clock(), [("Shelling near Idlib", "https://w.example/1")])

    await delivery.drain()
    clock.advance(hours=-5)  # 19:00 local, before the quiet hours
    await publish(storage, clock(), [("Convoy in Idlib", "https://w.example/2")], feed="Other")
    await delivery.drain()

    assert [(m.text.split("\n")[0], m.silent) for m in sender.sent] == [
        ("🔔 Shelling near Idlib", True), ("🔔 Convoy in Idlib", False)]


async def test_hold_mode_delivers_one_digest_when_quiet_hours_end(storage: Storage, sender: FakeSender,
                                                                  delivery: DeliveryService, clock: FakeClock) -> None:
    clock.now = MIDNIGHT_IN_DAMASCUS
    await subscribe(storage, clock(), quiet_start=23 * 60, quiet_end=7 * 60, quiet_mode="hold")
    events = {"https://a.example/1": "saraqib", "https://b.example/9": "saraqib"}
    await publish(storage, clock(), [("Shelling hits Saraqib on the M4", "https://a.example/1"),
                                     ("Aid convoy reaches Idlib", "https://a.example/2")], events=events)
    await publish(storage, clock(), [("Saraqib on the M4 shelled again", "https://b.example/9")], feed="Second",
                  events=events)

    report = await delivery.drain()

    assert sender.sent == [] and report.set_aside == 3
    rows = await outbox_rows(storage)
    assert {(r["status"], r["digest"]) for r in rows} == {("pending", True)}
    assert {r["next_attempt_at"] for r in rows} == {datetime(2026, 3, 11, 4, 0, tzinfo=UTC)}  # 07:00 local

    clock.now = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    report = await delivery.drain()

    [digest] = sender.sent
    assert report.sent == 3 and not digest.silent
    assert "Reports: 3, stories: 2" in digest.text
    assert digest.text.count("• ") == 2  # the two Saraqib reports are one story
    assert all(link in digest.text for link in ("https://a.example/1", "https://a.example/2", "https://b.example/9"))
    assert {r["status"] for r in await outbox_rows(storage)} == {"sent"}


async def test_urgent_keyword_rings_through_quiet_hours(storage: Storage, sender: FakeSender,
                                                        delivery: DeliveryService, clock: FakeClock) -> None:
    clock.now = MIDNIGHT_IN_DAMASCUS
    await subscribe(storage, clock(), quiet_start=23 * 60, quiet_end=7 * 60, quiet_mode="hold")
    assert await storage.set_urgent(CHAT, "idlib", True)
    await publish(storage, clock(), [("Idlib: evacuation ordered", "https://u.example/1")])
    await publish(storage, clock(), [("Weather in Aleppo", "https://u.example/2")], keyword="aleppo", feed="B")

    await delivery.drain()

    assert [(m.text.split("\n")[0], m.silent) for m in sender.sent] == [("🔔 Idlib: evacuation ordered", False)]
    assert await storage.pending_count(CHAT) == 1  # the other waits for the morning


async def test_hourly_digest(storage: Storage, sender: FakeSender, delivery: DeliveryService,
                             clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 10, 17, tzinfo=UTC)  # 13:17 local
    await subscribe(storage, clock(), digest_mode="hourly")
    await publish(storage, clock(), [("One", "https://h.example/1"), ("Two", "https://h.example/2")])

    await delivery.drain()
    clock.now = datetime(2026, 3, 10, 10, 59, tzinfo=UTC)
    await delivery.drain()
    assert sender.sent == []
    clock.now = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    await delivery.drain()

    [digest] = sender.sent
    assert "Reports: 2" in digest.text and "https://h.example/2" in digest.text


async def test_muted_keyword_and_source_are_cancelled_with_a_reason(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    await subscribe(storage, clock())
    await storage.mute(CHAT, "keyword", "aleppo", clock() + timedelta(hours=8), clock())
    noisy = await publish(storage, clock(), [("Noisy source on Idlib", "https://n.example/1")], feed="Noisy")
    await storage.mute(CHAT, "source", str(noisy), clock() + timedelta(hours=8), clock())
    await publish(storage, clock(), [("Aleppo market", "https://m.example/1")], keyword="aleppo", feed="Calm")
    await publish(storage, clock(), [("Idlib news", "https://m.example/2")], feed="Good")

    await delivery.drain()

    assert [m.text.split("\n")[0] for m in sender.sent] == ["🔔 Idlib news"]
    cancelled = [r for r in await outbox_rows(storage) if r["status"] == "cancelled"]
    assert len(cancelled) == 2 and all(r["last_error"] == "muted by the subscriber" for r in cancelled)

    clock.advance(hours=9)  # mutes expire
    await publish(storage, clock(), [("Aleppo again", "https://m.example/3")], keyword="aleppo", feed="Later")
    await delivery.drain()
    assert sender.sent[-1].text.startswith("🔔 Aleppo again")
