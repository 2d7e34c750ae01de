"""The bot's rate limiter: replies, edits and callback answers take slots from the process's one pacer
(never more than the overall rate in any second, a private chat's burst then one a second), a 429 is
waited out and the request made again, and alerts (already paced by the sender) go straight through."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.adapters.telegram.rate_limiter import ALREADY_PACED, PacedRateLimiter, chat_of
from bot.core.delivery.pacing import Pacer, PacingLimits

Callback = Callable[..., Coroutine[Any, Any, dict[str, Any]]]


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class FakeTelegram:
    """Records when each request reached it; refuses the first `refuse` with a 429 of `retry_after`."""

    def __init__(self, clock: FakeClock, refuse: int = 0, retry_after: int = 2) -> None:
        self.clock = clock
        self.refuse = refuse
        self.retry_after = retry_after
        self.arrivals: list[tuple[float, Any]] = []

    def callback(self, chat: Any) -> Callback:
        async def call() -> dict[str, Any]:
            self.arrivals.append((self.clock.now, chat))
            if self.refuse:
                self.refuse -= 1
                raise RetryAfter(self.retry_after)
            return {"ok": True, "chat": chat}
        return call


def limiter(clock: FakeClock, per_second: float = 30.0, **options: Any) -> PacedRateLimiter:
    return PacedRateLimiter(Pacer(PacingLimits(per_second=per_second)), monotonic=clock.monotonic,
                            sleep=clock.sleep, **options)


async def send(rate_limiter: PacedRateLimiter, api: FakeTelegram, chat: Any, endpoint: str = "sendMessage",
               rate_limit_args: str | None = None) -> Any:
    data = {} if chat is None else {"chat_id": chat}
    return await rate_limiter.process_request(api.callback(chat), (), {}, endpoint, data, rate_limit_args)


def most_in_one_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def test_replies_to_many_chats_never_exceed_the_overall_rate() -> None:
    clock = FakeClock()
    rate_limiter, api = limiter(clock, per_second=29.0), FakeTelegram(clock)
    for chat in range(1, 91):
        assert await send(rate_limiter, api, chat) == {"ok": True, "chat": chat}
    times = [t for t, _ in api.arrivals]
    assert len(times) == 90 and most_in_one_second(times) <= 30  # Telegram's limit, with rounding to spare
    assert times[-1] - times[0] == pytest.approx(89 / 29)  # and no slower than the rate


async def test_one_chat_gets_its_burst_then_one_a_second() -> None:
    clock = FakeClock()
    rate_limiter, api = limiter(clock), FakeTelegram(clock)
    for _ in range(5):
        await send(rate_limiter, api, 7)
    gaps = [b - a for (a, _), (b, _) in zip(api.arrivals, api.arrivals[1:], strict=False)]
    assert gaps[0] < 0.1 and all(gap == pytest.approx(1.0) for gap in gaps[2:])


async def test_a_429_is_waited_out_and_the_request_made_again() -> None:
    clock = FakeClock()
    rate_limiter, api = limiter(clock), FakeTelegram(clock, refuse=2, retry_after=3)

    assert await send(rate_limiter, api, 5, "editMessageText") == {"ok": True, "chat": 5}

    times = [t for t, _ in api.arrivals]
    assert len(times) == 3 and times[1] - times[0] >= 3.0 and times[2] - times[1] >= 3.0
    assert rate_limiter.refusals == 2
    assert rate_limiter.pacer.global_ready_at(times[0] + 1.0) >= times[0] + 3.0  # everyone waited with it


async def test_a_wait_beyond_the_limit_or_too_many_refusals_is_raised() -> None:
    clock = FakeClock()
    with pytest.raises(RetryAfter):
        await send(limiter(clock, max_wait=10), FakeTelegram(clock, refuse=1, retry_after=30), 1)
    stubborn = FakeTelegram(clock, refuse=10, retry_after=1)
    with pytest.raises(RetryAfter):
        await send(limiter(clock, max_retries=2), stubborn, 2)
    assert len(stubborn.arrivals) == 3


async def test_alerts_already_paced_and_requests_that_send_nothing_go_straight_through() -> None:
    clock = FakeClock()
    rate_limiter, api = limiter(clock, per_second=1.0), FakeTelegram(clock, refuse=1)
    with pytest.raises(RetryAfter):  # the alert sender handles the 429 itself (the row stays in the outbox)
        await send(rate_limiter, api, 3, rate_limit_args=ALREADY_PACED)
    await send(rate_limiter, api, 3, rate_limit_args=ALREADY_PACED)
    await send(rate_limiter, api, None, "getMe")
    assert [t for t, _ in api.arrivals] == [100.0, 100.0, 100.0]
    assert rate_limiter.pacer.global_ready_at(clock.now) == clock.now  # they took no slot


async def test_replies_and_alerts_share_one_budget() -> None:
    """A reply books the next overall slot at once; the alert sender, asking the same pacer, goes after it."""
    clock = FakeClock()
    rate_limiter, api = limiter(clock, per_second=10.0), FakeTelegram(clock)
    pacer = rate_limiter.pacer
    pacer.record(900, clock.now)  # an alert just went
    await send(rate_limiter, api, None, "answerCallbackQuery")
    await send(rate_limiter, api, 12)
    assert [t for t, _ in api.arrivals] == [pytest.approx(100.1), pytest.approx(100.2)]
    assert pacer.global_ready_at(clock.now) == pytest.approx(100.3)  # the next alert's slot


def test_the_chat_of_a_request() -> None:
    assert chat_of({"chat_id": 5}) == 5 and chat_of({"chat_id": "-100123"}) == -100123
    assert chat_of({"chat_id": "@channel"}) is None and chat_of({"callback_query_id": "1"}) is None
