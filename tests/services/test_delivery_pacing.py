"""DeliveryService pacing and concurrency, on a fake monotonic clock: what goes out when, and how many at once."""

from __future__ import annotations

import asyncio
from itertools import pairwise

from service_fakes import FakeClock, FakeMonotonic, FakeSender, outbox_rows, queue_messages

from bot.adapters.storage.database import Storage
from bot.core.delivery.pacing import Pacer, PacingLimits
from bot.services.delivery import DeliveryOptions, DeliveryService


def service(storage: Storage, sender: FakeSender, clock: FakeClock, monotonic: FakeMonotonic,
            **options: int) -> DeliveryService:
    return DeliveryService(storage, sender, clock, options=DeliveryOptions(**options),  # type: ignore[arg-type]
                           pacer=Pacer(PacingLimits(per_second=20, private_burst=3)), monotonic=monotonic,
                           sleep=monotonic.sleep)


async def test_fan_out_is_spaced_to_the_overall_rate(storage: Storage, clock: FakeClock) -> None:
    monotonic = FakeMonotonic()
    sender = FakeSender(monotonic)
    await queue_messages(storage, clock(), [(chat_id, "alert") for chat_id in range(1, 61)])

    report = await service(storage, sender, clock, monotonic).drain()

    assert report.sent == 60
    times = [m.at for m in sender.sent]
    assert all(b - a >= 0.05 - 1e-9 for a, b in pairwise(times))
    assert times[-1] - times[0] < 59 * 0.05 + 0.01  # and no slower than that


async def test_one_private_chat_gets_a_burst_then_one_a_second(storage: Storage, clock: FakeClock) -> None:
    monotonic = FakeMonotonic()
    sender = FakeSender(monotonic)
    big = "x" * 3000  # one alert per message, so the chat's backlog cannot be grouped
    await queue_messages(storage, clock(), [(7, big)] * 6 + [(8, "other")])

    await service(storage, sender, clock, monotonic).drain()

    to_seven = [m.at for m in sender.sent if m.chat_id == 7]
    assert len(to_seven) == 6
    assert to_seven[2] - to_seven[0] < 0.2  # a burst of three
    assert round(to_seven[3] - to_seven[0], 2) == 1.0  # then the bucket refills at one a second
    assert [round(b - a, 2) for a, b in pairwise(to_seven[3:])] == [1.0, 1.0]
    other = next(m.at for m in sender.sent if m.chat_id == 8)
    assert other < to_seven[3]  # chat 8 did not wait behind chat 7


async def test_several_in_flight_but_never_two_to_one_chat(storage: Storage, clock: FakeClock) -> None:
    gate = asyncio.Event()
    monotonic = FakeMonotonic()
    sender = FakeSender(monotonic, gate)
    big = "y" * 3000
    await queue_messages(storage, clock(), [(chat_id, big) for chat_id in range(1, 11)] + [(1, big), (2, big)])
    drain = asyncio.create_task(service(storage, sender, clock, monotonic, concurrency=4).drain())

    for _ in range(200):
        if len(sender.in_flight) == 4:
            break
        await asyncio.sleep(0.01)
    assert sorted(sender.in_flight) == [1, 2, 3, 4]
    gate.set()
    report = await drain

    assert report.sent == 12 and sender.most_in_flight == 4 and sender.same_chat_overlaps == 0
    assert {r["status"] for r in await outbox_rows(storage)} == {"sent"}
