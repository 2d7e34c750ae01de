"""How many alerts one scan cycle may queue for one chat; the rest go out as one summary (issue 12, item 7).

A feed that lists thousands of matching items at once must not become thousands of messages. Each scan
cycle lets every chat have at most `limit` new alerts. What counts is stories, not reports: one story is
one alert, so reports of a story admitted in this cycle ride along, and a report of a story the chat
already has an alert for (`known`: it edits that alert) is never capped. Within one feed's check the
matches of the chat's urgent keywords come first, then the newest; across the cycle, the feeds that finish
first go first (holding every alert back until the slowest feed is done would delay them all). The
allowance belongs to one process's cycle: several workers scanning at once each have their own.

Nothing is dropped: the rows over the cap are queued as summary rows, due at `summary_at` (the end of
the cycle, so one cycle's overflow is claimed together), and the sender delivers a chat's summary rows as
one digest-like message (bot/services/delivery_modes.py). Pure: no I/O, time is passed in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["DEFAULT_MAX_ALERTS_PER_CHAT", "AlertCap", "Candidate"]

DEFAULT_MAX_ALERTS_PER_CHAT = 20


@dataclass(frozen=True)
class Candidate:
    """An outbox row about to be written, as the cap sees it."""

    chat_id: int
    story: Hashable
    """The story its entry joined, else the entry itself: reports of one story count once."""
    published: datetime | None
    """When the entry was published (None: undated, taken as the newest, as feeds list the latest first)."""
    urgent: bool = False
    """The alert's keyword is one of the chat's urgent keywords."""
    known: bool = False
    """The chat already has (or is owed) an alert for the story: this report updates it."""


def _priority(candidate: Candidate) -> tuple[bool, float]:
    """Urgent first, then the newest (undated first among them)."""
    age = -candidate.published.timestamp() if candidate.published is not None else float("-inf")
    return (not candidate.urgent, age)


class AlertCap:
    """One scan cycle's allowance of alerts per chat: `limit` stories each, the rest summarised.

    `split` is called once per feed check (inside the transaction that writes its rows) and remembers
    what it admitted, so the allowance holds across the cycle's feeds. It never awaits, so concurrent
    checks of one event loop cannot interleave inside it. A check whose transaction fails afterwards
    leaves its share counted: the cap errs towards fewer alerts, never more."""

    def __init__(self, limit: int, summary_at: datetime) -> None:
        if limit < 1:
            raise ValueError("the alert cap must be at least 1")
        self.limit = limit
        self.summary_at = summary_at
        """When the summary rows come due: the end of the cycle."""
        self.summarised = 0
        """Rows summarised so far in this cycle (for the cycle's report)."""
        self._alerted: dict[int, set[Hashable]] = defaultdict(set)
        self._over: dict[int, set[Hashable]] = defaultdict(set)

    def remaining(self, chat_id: int) -> int:
        """New stories the chat may still be alerted about in this cycle."""
        return max(0, self.limit - len(self._alerted.get(chat_id, ())))

    def may_overflow(self, candidates: Sequence[Candidate]) -> set[int]:
        """The chats whose candidates name more new stories than they have left (only they need the
        urgent and known flags, which cost the caller a query)."""
        stories: dict[int, set[Hashable]] = defaultdict(set)
        for candidate in candidates:
            if candidate.story not in self._alerted.get(candidate.chat_id, ()):
                stories[candidate.chat_id].add(candidate.story)
        return {chat_id for chat_id, new in stories.items()
                if chat_id in self._over or len(new) > self.remaining(chat_id)}

    def split(self, candidates: Sequence[Candidate]) -> list[bool]:
        """For each candidate, in the given order, whether it goes to the summary instead of alerting."""
        summarised = [False] * len(candidates)
        order = sorted(range(len(candidates)), key=lambda index: _priority(candidates[index]))
        for index in order:  # sorted() is stable: among equals the caller's order decides
            candidate = candidates[index]
            alerted, over = self._alerted[candidate.chat_id], self._over[candidate.chat_id]
            if candidate.known or candidate.story in alerted:
                continue
            if candidate.story not in over and len(alerted) < self.limit:
                alerted.add(candidate.story)
                continue
            over.add(candidate.story)
            summarised[index] = True
        self.summarised += sum(summarised)
        return summarised
