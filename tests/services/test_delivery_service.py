"""DeliveryService.drain against real SQLite storage and a recording FakeSender.

Outbox rows are written through the storage API, the clock is moved by hand, and after every scenario
the row's stored status and last_error say what happened: nothing may vanish without a reason.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_fakes import FakeClock, FakeSender, outbox_rows, queue_messages

from bot.adapters.storage import Storage
from bot.errors import ChatUnavailable, FloodWait, MarkupRejected, PermanentSendError, TemporarySendError
from bot.services.delivery import MAX_ATTEMPTS, DeliveryService

ALERT = '🔔 <b>Idlib</b> · News\n\n<b>Tom &amp; Jerry &lt;3</b>\n<a href="https://x.example/1">https://x.example/1</a>'


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


@pytest.fixture
def delivery(storage: Storage, sender: FakeSender, clock: FakeClock) -> DeliveryService:
    return DeliveryService(storage, sender, clock)


async def statuses(storage: Storage) -> list[str]:
    return [row["status"] for row in await outbox_rows(storage)]


async def test_success_marks_sent_and_is_not_claimable_again(storage: Storage, sender: FakeSender,
                                                             delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, ALERT), (2, "second")])

    report = await delivery.drain()

    assert report.sent == 2
    assert [(m.chat_id, m.text, m.html) for m in sender.sent] == [(1, ALERT, True), (2, "second", True)]
    rows = await outbox_rows(storage)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert all(r["telegram_message_id"] is not None and r["sent_at"] == clock() for r in rows)
    clock.advance(hours=1)
    assert await storage.claim_outbox(clock(), timedelta(minutes=1), 10) == []
    assert (await delivery.drain()).sent == 0
    assert len(sender.attempts) == 2


async def test_flood_wait_keeps_row_until_retry_after(storage: Storage, sender: FakeSender,
                                                      delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "first"), (2, "second")])
    sender.script[1] = [FloodWait(30)]

    report = await delivery.drain()

    assert (report.sent, report.retried) == (0, 2)  # the whole batch waits, not just the one chat
    assert await statuses(storage) == ["pending", "pending"]
    assert await storage.pending_count() == 2
    clock.advance(seconds=29)
    assert (await delivery.drain()).sent == 0
    assert len(sender.attempts) == 1

    clock.advance(seconds=1)
    report = await delivery.drain()

    assert report.sent == 2
    assert await statuses(storage) == ["sent", "sent"]
    assert [m.chat_id for m in sender.sent] == [1, 2]


async def test_chat_unavailable_deactivates_and_fails_that_chat_only(
        storage: Storage, sender: FakeSender, delivery: DeliveryService, clock: FakeClock) -> None:
    for chat_id in (1, 2):
        await storage.subscribe(chat_id, "en", [], clock())
    await queue_messages(storage, clock(), [(1, "a"), (2, "b"), (1, "c"), (2, "d")])
    sender.always[1] = lambda html: ChatUnavailable("Forbidden: bot was blocked by the user")

    await delivery.drain()

    assert [m.chat_id for m in sender.attempts] == [1, 2, 2]  # chat 1 tried once only
    assert [m.text for m in sender.sent] == ["b", "d"]
    rows = await outbox_rows(storage)
    by_text = {r["text"]: r for r in rows}
    assert by_text["a"]["status"] == "failed"
    assert "blocked by the user" in by_text["a"]["last_error"]
    assert by_text["c"]["status"] in ("failed", "cancelled")
    assert by_text["c"]["last_error"]
    assert (by_text["b"]["status"], by_text["d"]["status"]) == ("sent", "sent")
    subscriber = await storage.get_subscriber(1)
    assert subscriber is not None and not subscriber.active
    assert (await storage.get_subscriber(2)).active  # type: ignore[union-attr]
    assert await storage.pending_count() == 0


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
    assert "Tom & Jerry <3" in second.text
    assert "https://x.example/1" in second.text
    assert await statuses(storage) == ["sent"]


async def test_temporary_error_is_retried_later_with_backoff(storage: Storage, sender: FakeSender,
                                                             delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "a"), (2, "b")])
    sender.script[1] = [TemporarySendError("timed out")]

    report = await delivery.drain()

    assert (report.sent, report.retried) == (1, 1)
    row = (await outbox_rows(storage))[0]
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 1, "timed out")
    assert row["next_attempt_at"] > clock()
    assert (await delivery.drain()).sent == 0  # not before the backoff
    clock.now = row["next_attempt_at"]

    assert (await delivery.drain()).sent == 1
    assert await statuses(storage) == ["sent", "sent"]
    assert [m.text for m in sender.sent] == ["b", "a"]


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
    assert f"gave up after {MAX_ATTEMPTS} attempts" in row["last_error"]
    assert "502 Bad Gateway" in row["last_error"]
    assert delays[1] > delays[0]  # backoff grows
    assert delays == sorted(delays)


async def test_nothing_is_dropped_silently(storage: Storage, sender: FakeSender,
                                           delivery: DeliveryService, clock: FakeClock) -> None:
    for chat_id in range(1, 7):
        await storage.subscribe(chat_id, "en", [], clock())
    await queue_messages(storage, clock(), [(chat_id, f"to {chat_id}") for chat_id in range(1, 7)]
                         + [(3, "to 3 again"), (6, "to 6 again")])
    sender.script[2] = [TemporarySendError("network down")]
    sender.always[3] = lambda html: ChatUnavailable("Forbidden: user is deactivated")
    sender.always[4] = lambda html: PermanentSendError("Bad Request: message is too long")
    sender.always[5] = lambda html: MarkupRejected("can't parse entities") if html else None
    sender.script[6] = [None, FloodWait(5)]

    report = await delivery.drain()

    rows = await outbox_rows(storage)
    assert report.sent == sum(r["status"] == "sent" for r in rows)
    for row in rows:
        assert row["status"] in ("sent", "pending", "failed", "cancelled"), row
        if row["status"] != "sent":
            assert row["last_error"], row
    by_text = {r["text"]: r["status"] for r in rows}
    assert by_text == {
        "to 1": "sent", "to 2": "pending", "to 3": "failed", "to 4": "failed", "to 5": "sent",
        "to 6": "sent", "to 3 again": by_text["to 3 again"], "to 6 again": "pending",
    }
    assert by_text["to 3 again"] in ("failed", "cancelled")


async def test_flood_waits_do_not_use_up_other_rows_attempts(storage: Storage, sender: FakeSender,
                                                             delivery: DeliveryService, clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(1, "busy chat"), (2, "innocent")])
    sender.script[1] = [FloodWait(1)] * (MAX_ATTEMPTS - 1)
    for _ in range(MAX_ATTEMPTS - 1):
        await delivery.drain()
        clock.advance(seconds=1)
    sender.script[2] = [TemporarySendError("timed out")]  # its first real failure

    await delivery.drain()

    assert [m.chat_id for m in sender.attempts].count(2) == 1
    innocent = (await outbox_rows(storage))[1]
    assert innocent["status"] == "pending", innocent["last_error"]
