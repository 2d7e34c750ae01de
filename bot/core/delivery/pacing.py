"""Pacing decisions for sending to Telegram, as pure bookkeeping: time is passed in, in seconds.

Telegram allows about 30 messages a second overall, about one a second to one private chat (a short
burst is tolerated) and 20 a minute to a group or channel. A leaky bucket that bursts 30 at once can
trip a server that counts per second, so `Pacer` spaces messages evenly overall, keeps a token bucket per
private chat and a sliding window per group, and answers "when may this chat send next?". A 429 from
Telegram pauses everything until its `retry_after` has passed.

One pacer serves a whole process: the alert sender asks `ready_at` and `record`s a send when it goes;
command replies, edits and callback answers (bot/adapters/telegram/rate_limiter.py) `reserve` the next
free slot at once and wait for it, so neither kind can starve the other of Telegram's overall budget.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class PacingLimits:
    """The limits the pacer keeps, a little under Telegram's own."""

    per_second: float = 29.0
    """Overall messages per second, evenly spaced."""
    private_burst: int = 2
    """Messages a private chat may receive back to back before the per-second rate applies (Telegram
    tolerates a few; keeping one in reserve absorbs network jitter)."""
    private_per_second: float = 1.0
    group_per_minute: int = 20
    group_window: float = 61.0
    """Seconds of the sliding window for groups: 60 plus a margin for network jitter."""


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative ids; private chats (users) positive ones."""
    return chat_id < 0


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class Pacer:
    """Remembers recent sends and says when the next one may go. One instance per sending process."""

    limits: PacingLimits = field(default_factory=PacingLimits)
    _next_global: float = float("-inf")
    _paused_until: float = float("-inf")
    _private: dict[int, _Bucket] = field(default_factory=dict)
    _groups: dict[int, deque[float]] = field(default_factory=dict)

    def ready_at(self, chat_id: int, now: float) -> float:
        """The earliest time (>= now) at which a message to `chat_id` keeps every limit."""
        return max(self.global_ready_at(now), self.chat_ready_at(chat_id, now))

    def global_ready_at(self, now: float) -> float:
        """The earliest time (>= now) at which any message may go (overall spacing, 429 pauses)."""
        return max(now, self._next_global, self._paused_until)

    def record(self, chat_id: int, at: float) -> None:
        """A message to `chat_id` was handed to Telegram at `at` (callers send only when ready)."""
        self._take_global_slot(at)
        if is_group(chat_id):
            window = self._groups.setdefault(chat_id, deque())
            self._expire(window, at)
            window.append(at)
            return
        bucket = self._refilled(chat_id, at)
        bucket.tokens -= 1.0

    def reserve(self, chat_id: int | None, now: float) -> float | None:
        """Book the next overall slot for a message to `chat_id` (None: a request for no chat, e.g. a
        callback answer) and return its time (>= now); None if the chat's own limit says not yet: ask
        again at `chat_ready_at`. Booking at once keeps requests in the order they asked."""
        if chat_id is not None and self.chat_ready_at(chat_id, now) > now:
            return None
        at = self.global_ready_at(now)
        if chat_id is None:
            self._take_global_slot(at)
        else:
            self.record(chat_id, at)
        return at

    def _take_global_slot(self, at: float) -> None:
        interval = 1.0 / self.limits.per_second
        # a send that went out a little late (timer overshoot, under half an interval) keeps its slot, so
        # lateness does not accumulate and the average stays at the rate; after a longer gap, start afresh
        on_schedule = at - self._next_global <= interval / 2
        self._next_global = (self._next_global if on_schedule else at) + interval

    def set_overall_rate(self, per_second: float) -> None:
        """Change the overall rate, e.g. to this process's share when several processes send for one bot;
        the next message keeps the slot already given to it, the ones after are spaced at the new rate."""
        if not per_second > 0:
            raise ValueError(f"the overall rate must be positive, not {per_second!r}")
        self.limits = replace(self.limits, per_second=per_second)

    def pause(self, until: float) -> None:
        """Telegram said 429: nothing goes out before `until`."""
        self._paused_until = max(self._paused_until, until)

    def forget_idle(self, now: float) -> None:
        """Drop the state of chats that are back to their full allowance, so memory stays bounded."""
        for chat_id in [c for c in self._private if self._refilled(c, now).tokens >= self.limits.private_burst]:
            del self._private[chat_id]
        for chat_id, window in list(self._groups.items()):
            self._expire(window, now)
            if not window:
                del self._groups[chat_id]

    def tracked_chats(self) -> int:
        """How many chats the pacer currently remembers."""
        return len(self._private) + len(self._groups)

    def chat_ready_at(self, chat_id: int, now: float) -> float:
        """The earliest time (>= now) allowed by this chat's own limit alone."""
        if is_group(chat_id):
            window = self._groups.get(chat_id)
            if window is None:
                return now
            self._expire(window, now)
            if len(window) < self.limits.group_per_minute:
                return now
            return window[len(window) - self.limits.group_per_minute] + self.limits.group_window
        bucket = self._refilled(chat_id, now)
        if bucket.tokens >= 1.0:
            return now
        # a reserved send may have used the bucket at a time still to come: refill from then
        return max(now, bucket.updated) + (1.0 - bucket.tokens) / self.limits.private_per_second

    def _refilled(self, chat_id: int, now: float) -> _Bucket:
        burst = float(self.limits.private_burst)
        bucket = self._private.setdefault(chat_id, _Bucket(tokens=burst, updated=now))
        if now > bucket.updated:
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * self.limits.private_per_second)
            bucket.updated = now
        return bucket

    def _expire(self, window: deque[float], now: float) -> None:
        while window and window[0] <= now - self.limits.group_window:
            window.popleft()
