"""DeliveryService.drain outcomes against real SQLite storage and a recording FakeSender.

Outbox rows are written through the storage API, the clocks are moved by hand (pacing waits advance a
fake monotonic clock), and after every scenario each row's stored status and last_error say what
happened: nothing may vanish without a reason.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_fakes import IDLIB, FakeClock, FakeMonotonic, FakeSender, outbox_rows, queue_messages

from bot.adapters.storage.database import Storage
from bot.core.delivery.batching import SEPARATOR
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
)
from bot.services.delivery import MAX_ATTEMPTS, DeliveryOptions, DeliveryService

ALERT = '🔔 <b>Idlib</b> · News\n\n<b>Tom &amp; Jerry &lt;3</b>\n<a href="https://x.example/1">https://x.example/1</a>'


@pytest.fixture
def delivery(storage: Storage, sender: FakeSender, clock: FakeClock, monotonic: FakeMonotonic) -> DeliveryService:
    return DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep)


async def statuses(storage: Storage) -> dict[str, str]:
    return {row["text"]: row["status"] for row in await outbox_rows(storage)}


async def test_success_marks_sent_and_is_not_claimable_again(storage: Storage, sender: FakeSender,
                                                             delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, ALERT), (2, "second")])

    report = await delivery.drain()

    assert (report.sent, report.messages) == (2, 2)
    assert [(m.chat_id, m.text, m.html) for m in sender.sent] == [(1, ALERT, True), (2, "second", True)]
    rows = await outbox_rows(storage)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert all(r["telegram_message_id"] is not None and r["sent_at"] == clock() for r in rows)
    clock.advance(hours=1)
    assert await storage.claim_outbox(clock(), timedelta(minutes=1), 10) == []
    assert (await delivery.drain()).sent == 0
    assert len(sender.attempts) == 2


async def test_a_chats_backlog_goes_out_as_one_message(storage: Storage, sender: FakeSender,
                                                       delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "first"), (2, "other"), (1, "second"), (1, "third")])

    report = await delivery.drain()

    assert (report.sent, report.messages) == (4, 2)
    by_chat = {m.chat_id: m.text for m in sender.sent}
    assert by_chat[1] == SEPARATOR.join(["first", "second", "third"])
    rows = await outbox_rows(storage)
    assert {r["status"] for r in rows} == {"sent"}
    chat_one_ids = {r["telegram_message_id"] for r in rows if r["chat_id"] == 1}
    assert len(chat_one_ids) == 1  # every row records the message that carried it


async def test_backlog_over_the_limit_is_split_not_cut(storage: Storage, sender: FakeSender,
                                                       delivery: DeliveryService, clock: FakeClock) -> None:
    texts = [f"{n}:" + "x" * 1500 for n in range(5)]
    await queue_messages(storage, clock(), [(1, text) for text in texts])

    report = await delivery.drain()

    assert report.sent == 5 and report.messages == 3
    assert all(len(m.text) <= 4096 for m in sender.sent)
    assert SEPARATOR.join(m.text for m in sender.sent) == SEPARATOR.join(texts)


async def test_short_flood_wait_pauses_and_keeps_the_message(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock,
        monotonic: FakeMonotonic) -> None:
    await queue_messages(storage, clock(), [(1, "first"), (2, "second")])
    sender.script[1] = [FloodWait(3)]

    report = await delivery.drain()

    assert (report.sent, report.flood_waits, report.halted) == (2, 1, False)
    assert await statuses(storage) == {"first": "sent", "second": "sent"}
    flooded_at = sender.attempts[0].at
    assert all(m.at >= flooded_at + 3 for m in sender.sent)  # nothing went out during the pause
    assert {r["attempts"] for r in await outbox_rows(storage)} == {0}  # a 429 is not a failed attempt


async def test_long_flood_wait_hands_rows_back_until_retry_after(storage: Storage, sender: FakeSender,
                                                                 delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "first"), (2, "second")])
    sender.script[1] = [FloodWait(300)]

    report = await delivery.drain()

    assert report.halted and report.sent == 0
    assert await statuses(storage) == {"first": "pending", "second": "pending"}
    clock.advance(seconds=299)
    assert (await delivery.drain()).claimed == 0
    clock.advance(seconds=1)
    assert (await delivery.drain()).sent == 2
    assert await statuses(storage) == {"first": "sent", "second": "sent"}


async def test_blocked_chat_is_unsubscribed_and_its_queue_cancelled(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "x" * 3000), (2, "b"), (1, "y" * 3000)])
    sender.always[1] = lambda html: ChatUnavailable("Forbidden: bot was blocked by the user")

    report = await delivery.drain()

    assert [m.chat_id for m in sender.attempts].count(1) == 1  # stopped at the first refusal
    rows = {r["text"][:1]: r for r in await outbox_rows(storage)}
    assert rows["x"]["status"] == "failed" and "blocked by the user" in rows["x"]["last_error"]
    assert rows["y"]["status"] == "cancelled" and rows["y"]["last_error"]
    assert rows["b"]["status"] == "sent"
    assert (report.failed, report.cancelled) == (1, 1)
    assert not (await storage.get_subscriber(1)).active  # type: ignore[union-attr]
    assert (await storage.get_subscriber(2)).active  # type: ignore[union-attr]


async def test_migrated_group_moves_subscription_and_resends(storage: Storage, sender: FakeSender,
                                                             delivery: DeliveryService, clock: FakeClock) -> None:
    old, new = -100, -1009999
    await storage.subscribe(old, "ar", [IDLIB], clock())
    await queue_messages(storage, clock(), [(old, "x" * 3000), (old, "y" * 3000)])
    sender.always[old] = lambda html: ChatMoved(new)

    report = await delivery.drain()

    assert report.sent == 2
    assert [m.chat_id for m in sender.sent] == [new, new]
    assert await storage.get_subscriber(old) is None
    moved = await storage.get_subscriber(new)
    assert moved is not None and moved.active and moved.language == "ar"
    assert [c.key for c in await storage.keywords(new)] == ["idlib"]
    assert {r["chat_id"] for r in await outbox_rows(storage)} == {new}


async def test_markup_rejected_is_resent_as_plain_text(storage: Storage, sender: FakeSender,
                                                       delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, ALERT)])
    sender.always[1] = lambda html: MarkupRejected("can't parse entities") if html else None

    report = await delivery.drain()

    assert report.sent == 1
    first, second = sender.attempts
    assert (first.html, first.text) == (True, ALERT)
    assert second.html is False
    assert "<b>" not in second.text and "<a " not in second.text and "&amp;" not in second.text
    assert "Tom & Jerry <3" in second.text and "https://x.example/1" in second.text
    assert await statuses(storage) == {ALERT: "sent"}


async def test_temporary_error_is_retried_later_and_later_alerts_wait_behind_it(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "a" * 3000), (2, "b"), (1, "c" * 3000)])
    sender.script[1] = [TemporarySendError("timed out")]

    report = await delivery.drain()

    assert (report.sent, report.retried) == (1, 2)
    rows = {r["text"][:1]: r for r in await outbox_rows(storage)}
    assert (rows["a"]["status"], rows["a"]["attempts"], rows["a"]["last_error"]) == ("pending", 1, "timed out")
    assert (rows["c"]["status"], rows["c"]["attempts"]) == ("pending", 0)  # waited, did not fail
    assert rows["a"]["next_attempt_at"] == rows["c"]["next_attempt_at"] > clock()
    assert (await delivery.drain()).sent == 0  # not before the backoff
    clock.now = rows["a"]["next_attempt_at"]

    assert (await delivery.drain()).sent == 2
    assert [m.text[:1] for m in sender.sent] == ["b", "a", "c"]  # chat 1 still in order


async def test_temporary_errors_give_up_after_max_attempts(storage: Storage, sender: FakeSender,
                                                           delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "a")])
    sender.always[1] = lambda html: TemporarySendError("502 Bad Gateway")
    delays = []

    for _ in range(MAX_ATTEMPTS + 3):
        await delivery.drain()
        row = (await outbox_rows(storage))[0]
        if row["status"] != "pending":
            break
        delays.append(row["next_attempt_at"] - clock())
        clock.now = row["next_attempt_at"]

    assert len(sender.attempts) == MAX_ATTEMPTS
    assert row["status"] == "failed"
    assert f"gave up after {MAX_ATTEMPTS} attempts" in row["last_error"] and "502 Bad Gateway" in row["last_error"]
    assert delays[1] > delays[0] and delays == sorted(delays)


async def test_nothing_is_dropped_silently(storage: Storage, sender: FakeSender,
                                           delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(chat_id, f"to {chat_id}") for chat_id in range(1, 8)])
    sender.script[2] = [TemporarySendError("network down")]
    sender.always[3] = lambda html: ChatUnavailable("Forbidden: user is deactivated")
    sender.always[4] = lambda html: PermanentSendError("Bad Request: message is too long")
    sender.always[5] = lambda html: MarkupRejected("can't parse entities") if html else None
    sender.script[6] = [FloodWait(2)]
    sender.script[7] = [RuntimeError("bug in a library")]

    report = await delivery.drain()

    rows = await outbox_rows(storage)
    assert report.sent == sum(r["status"] == "sent" for r in rows)
    assert all(r["status"] == "sent" or r["last_error"] for r in rows)
    assert {r["text"]: r["status"] for r in rows} == {
        "to 1": "sent", "to 2": "pending", "to 3": "failed", "to 4": "failed", "to 5": "sent",
        "to 6": "sent", "to 7": "pending",
    }
    assert "RuntimeError" in next(r["last_error"] for r in rows if r["text"] == "to 7")


async def test_come_back_after_stop_gets_new_alerts_but_no_backlog(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "before stop")])
    await storage.unsubscribe(1, clock())
    await queue_messages(storage, clock(), [(1, "while away")], feed_url="https://race.example/rss")
    await storage.unsubscribe(1, clock())  # queue_messages subscribed it again; a scan raced the /stop
    assert await storage.subscribe(1, "en", [IDLIB], clock())

    assert (await delivery.drain()).sent == 0
    await queue_messages(storage, clock(), [(1, "after start")], feed_url="https://new.example/rss")
    assert (await delivery.drain()).sent == 1

    assert [m.text for m in sender.sent] == ["after start"]
    assert await statuses(storage) == {"before stop": "cancelled", "while away": "cancelled", "after start": "sent"}


async def test_rows_for_a_chat_that_left_are_cancelled_not_sent(storage: Storage, sender: FakeSender,
                                                                delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "queued")])
    await storage.deactivate(1, "blocked", clock())
    await queue_messages(storage, clock(), [(2, "fine")], feed_url="https://b.example/rss")

    report = await delivery.drain()

    assert [m.chat_id for m in sender.sent] == [2]
    assert (await statuses(storage))["queued"] == "cancelled"
    assert report.sent == 1


async def test_options_bound_what_one_drain_claims(storage: Storage, sender: FakeSender, clock: FakeClock,
                                                   monotonic: FakeMonotonic) -> None:
    await queue_messages(storage, clock(), [(chat_id, "m") for chat_id in range(1, 6)])
    delivery = DeliveryService(storage, sender, clock, options=DeliveryOptions(batch=2),
                               monotonic=monotonic, sleep=monotonic.sleep)

    assert [(await delivery.drain()).claimed for _ in range(4)] == [2, 2, 1, 0]
    assert sorted(m.chat_id for m in sender.sent) == [1, 2, 3, 4, 5]
