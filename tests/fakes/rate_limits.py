"""Telegram's sending limits, enforced the way a strict server would, for the fake Bot API.

Accepted messages are counted; a message that would break a limit is refused with 429 and a
`retry_after` (whole seconds, at least 1, as Telegram sends it):
- overall: at most `per_second` messages in any sliding one-second window;
- a private chat (positive id): a token bucket of `private_burst` messages refilled at one a second;
- a group or channel (negative id): at most `group_per_minute` messages in any sliding minute.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field


@dataclass
class TelegramLimits:
    """Sliding windows and buckets; `check_and_count` either counts a send or says how long to wait."""

    per_second: int = 30
    private_burst: int = 3
    group_per_minute: int = 20
    refused: int = 0
    _overall: deque[float] = field(default_factory=deque)
    _private: dict[str, tuple[float, float]] = field(default_factory=dict)
    _groups: dict[str, deque[float]] = field(default_factory=dict)

    def check_and_count(self, chat_id: str, now: float) -> float | None:
        """None if the message may go (and it is counted); else the seconds to wait."""
        waits = [self._overall_wait(now)]
        if chat_id.startswith("-"):
            window = self._groups.setdefault(chat_id, deque())
            _expire(window, now, 60.0)
            waits.append(window[0] + 60.0 - now if len(window) >= self.group_per_minute else 0.0)
        else:
            tokens = self._tokens(chat_id, now)
            waits.append(0.0 if tokens >= 1.0 else 1.0 - tokens)
        wait = max(waits)
        if wait > 0:
            self.refused += 1
            return wait
        self._overall.append(now)
        if chat_id.startswith("-"):
            self._groups[chat_id].append(now)
        else:
            self._private[chat_id] = (self._tokens(chat_id, now) - 1.0, now)
        return None

    def _overall_wait(self, now: float) -> float:
        _expire(self._overall, now, 1.0)
        return self._overall[0] + 1.0 - now if len(self._overall) >= self.per_second else 0.0

    def _tokens(self, chat_id: str, now: float) -> float:
        tokens, updated = self._private.get(chat_id, (float(self.private_burst), now))
        return min(float(self.private_burst), tokens + (now - updated))


def retry_after_seconds(wait: float) -> int:
    """What Telegram would put in `retry_after` for a wait of `wait` seconds."""
    return max(1, math.ceil(wait))


def _expire(window: deque[float], now: float, span: float) -> None:
    while window and window[0] <= now - span:
        window.popleft()
