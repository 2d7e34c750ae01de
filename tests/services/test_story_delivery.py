"""Alerts that grow: a story's first report is sent, later ones edit it in place (or reply to it when it
can no longer be edited), with corroboration and the subscriber's choice to wait for a second source.
Real SQLite storage, the recording fake sender, a hand-moved clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from service_fakes import IDLIB, EventClustering, FakeClock, FakeMonotonic, FakeSender, outbox_rows, story_reports

from bot.adapters.storage.database import Storage
from bot.core.interface import callbacks
from bot.core.models import Concept, Delivery, FeedConfig, ParsedEntry
from bot.errors import EditRefused, FloodWait
from bot.services.delivery import DeliveryService

CHAT = 42
EVENTS = {f"https://{site}.example/{n}": "blast" for site in ("a", "b", "c") for n in range(3)}
URGENT = Concept(key="ariha", label="Ariha", terms={"en": ("Ariha",)})


@pytest.fixture
def delivery(storage: Storage, sender: FakeSender, clock: FakeClock, monotonic: FakeMonotonic) -> DeliveryService:
    return DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep)


async def report(storage: Storage, clock: FakeClock, site: str, n: int = 0, *, lang: str = "en",
                 keyword: str = "idlib", chats: tuple[int, ...] = (CHAT,), host: str | None = None,
                 published: datetime | None = None) -> None:
    """One report of the blast (or, for n >= 3, of another event) from a feed named after `site` on `host`
    (default: the site), queued for `chats`."""
    host = host or site
    config = FeedConfig(f"Wire {site.upper()}", f"https://{host}.example/{site}/rss", lang)
    feed = await storage.add_feed(config, clock())
    link = f"https://{host}.example/{n}"
    entry = ParsedEntry(identity=link, title=f"Blast report {site} {n}", summary="", link=link, lang=lang,
                        published_at=published or clock())
    await storage.store_fetch_result(
        feed.id, entries=[entry], etag=None, last_modified=None, now=clock(), next_check_at=clock(),
        deliveries={link: [Delivery(chat, f"🔔 Blast report {site} {n}\n{link}", keyword) for chat in chats]},
        reports=story_reports(config, [entry], clock()), clustering=EventClustering(EVENTS))


async def subscribe(storage: Storage, clock: FakeClock, chat: int = CHAT, **prefs: object) -> None:
    await storage.subscribe(chat, "en", [IDLIB, URGENT], clock())
    await storage.set_preferences(chat, clock(), time_zone="Asia/Damascus", **prefs)


async def test_three_reports_give_one_message_and_two_edits(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                            delivery: DeliveryService) -> None:
    clock.now = datetime(2026, 3, 10, 6, 12, tzinfo=UTC)
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    clock.advance(minutes=30)
    await report(storage, clock, "b", lang="tr")
    await delivery.drain()
    clock.advance(hours=2)
    await report(storage, clock, "c", lang="ar")
    await delivery.drain()

    [alert] = sender.sent
    assert "single source" in alert.text and "1 source · en · first 09:12, latest 09:12" in alert.text
    assert [edit.message_id for edit in sender.edits] == [alert.message_id] * 2
    assert all(edit.silent for edit in sender.edits)
    final = sender.edits[-1].text
    assert final.startswith("🔔 Blast report a 0")
    assert "3 sources · en, tr, ar · first 09:12, latest 11:42" in final
    assert "confirmed by 3 sources" in final
    assert all(f"https://{site}.example/0" in final for site in "abc")
    assert {row["status"] for row in await outbox_rows(storage)} == {"sent"}


async def test_edits_keep_the_buttons_of_the_first_alert(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                         delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    await report(storage, clock, "b")
    await delivery.drain()

    first_row = min(row["id"] for row in await outbox_rows(storage))
    [alert], [edit] = sender.sent, sender.edits
    assert edit.buttons == alert.buttons
    datas = [button.data for row in alert.buttons for button in row if button.data]
    assert callbacks.make(callbacks.MUTE_SOURCE, first_row) in datas


async def test_reports_queued_together_make_one_alert_listing_all(storage: Storage, sender: FakeSender,
                                                                  clock: FakeClock, delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await report(storage, clock, "b")

    report_ = await delivery.drain()

    [alert] = sender.sent
    assert sender.edits == [] and report_.sent == 2
    assert "confirmed by 2 sources" in alert.text


async def test_two_feeds_of_one_outlet_stay_a_single_source(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                            delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    await report(storage, clock, "a-ar", 1, lang="ar", host="a")

    await delivery.drain()

    [edit] = sender.edits
    assert "single source" in edit.text and "1 source · en, ar" in edit.text


async def test_a_refused_edit_becomes_a_threaded_reply_and_later_reports_reply_too(
        storage: Storage, sender: FakeSender, clock: FakeClock, delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    sender.edit_script[CHAT] = [EditRefused("Bad Request: message to edit not found")]
    await report(storage, clock, "b")
    await delivery.drain()
    await report(storage, clock, "c")
    await delivery.drain()

    alert, first_reply, second_reply = sender.sent
    assert sender.edits == []
    assert first_reply.reply_to == second_reply.reply_to == alert.message_id
    assert "https://b.example/0" in first_reply.text and "confirmed by 2 sources" in first_reply.text
    assert "https://c.example/0" in second_reply.text and "https://b.example/0" not in second_reply.text
    assert "confirmed by 3 sources" in second_reply.text
    assert {row["status"] for row in await outbox_rows(storage)} == {"sent"}


async def test_an_alert_older_than_48_hours_gets_a_reply_without_an_edit(
        storage: Storage, sender: FakeSender, clock: FakeClock, delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    first = clock()
    await delivery.drain()
    clock.advance(hours=30)
    await report(storage, clock, "b")  # the alert is 30 h old: edited
    await delivery.drain()
    clock.advance(hours=19)
    await report(storage, clock, "c", published=first + timedelta(hours=33))  # in the window, found late
    await delivery.drain()

    assert len(sender.edits) == 1
    alert, reply = sender.sent
    assert reply.reply_to == alert.message_id and "https://c.example/0" in reply.text


async def test_a_flood_wait_on_an_edit_keeps_the_row(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                     delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    sender.edit_script[CHAT] = [FloodWait(2)]
    await report(storage, clock, "b")

    await delivery.drain()

    assert len(sender.edits) == 1 and len(sender.sent) == 1
    assert {row["status"] for row in await outbox_rows(storage)} == {"sent"}


async def test_corroborated_only_waits_for_a_second_site(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                         delivery: DeliveryService) -> None:
    await subscribe(storage, clock, corroborated_only=True)
    await report(storage, clock, "a")
    await delivery.drain()
    await report(storage, clock, "a-ar", 1, lang="ar", host="a")  # same outlet
    await delivery.drain()
    assert sender.sent == []

    await report(storage, clock, "b", lang="tr")
    await delivery.drain()

    [alert] = sender.sent
    assert alert.text.startswith("🔔 Blast report b 0")
    assert "confirmed by 2 sources" in alert.text and "https://a.example/0" in alert.text
    rows = await outbox_rows(storage)
    assert sorted(row["status"] for row in rows) == ["cancelled", "cancelled", "sent"]
    assert {row["last_error"] for row in rows if row["status"] == "cancelled"} == {
        "waiting for a second independent source"}


async def test_urgent_keywords_alert_at_once_even_when_waiting_for_corroboration(
        storage: Storage, sender: FakeSender, clock: FakeClock, delivery: DeliveryService) -> None:
    await subscribe(storage, clock, corroborated_only=True)
    assert await storage.set_urgent(CHAT, "ariha", True)
    await report(storage, clock, "a", keyword="ariha")

    await delivery.drain()

    [alert] = sender.sent
    assert "single source" in alert.text


async def test_updates_are_not_held_by_quiet_hours_and_never_go_to_chats_that_left(
        storage: Storage, sender: FakeSender, clock: FakeClock, delivery: DeliveryService) -> None:
    clock.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 15:00 in Damascus
    await subscribe(storage, clock, quiet_start=23 * 60, quiet_end=7 * 60, quiet_mode="hold")
    await subscribe(storage, clock, chat=43)
    await report(storage, clock, "a", chats=(CHAT, 43))
    await delivery.drain()
    clock.now = datetime(2026, 3, 10, 21, 30, tzinfo=UTC)  # 00:30: quiet
    assert await storage.unsubscribe(43, clock())
    await report(storage, clock, "b", chats=(CHAT, 43))

    await delivery.drain()

    assert [edit.chat_id for edit in sender.edits] == [CHAT]
    assert len(sender.sent) == 2
    statuses = {(row["chat_id"], row["status"]) for row in await outbox_rows(storage)}
    assert (43, "cancelled") in statuses and (CHAT, "pending") not in statuses


async def test_a_different_event_is_a_new_message(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                  delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    await report(storage, clock, "b", 3)  # not in EVENTS: another story

    await delivery.drain()

    assert len(sender.sent) == 2 and sender.edits == []
    assert "single source" in sender.sent[1].text




async def test_the_buttons_show_the_grown_alert(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                delivery: DeliveryService) -> None:
    await subscribe(storage, clock)
    await report(storage, clock, "a")
    await delivery.drain()
    await report(storage, clock, "b")
    await delivery.drain()

    first_row = min(row["id"] for row in await outbox_rows(storage))
    details = await storage.alert_details(first_row)
    assert details is not None
    assert details.text == sender.edits[-1].text
    assert "confirmed by 2 sources" in details.text
