"""Hand-written, recording fakes and helpers for the service tests (imported by the test modules).

A mutable clock, a translator, a language detector, a fetcher, a parser and a Telegram sender, each
recording what it was asked; plus helpers that read and fill the outbox through real storage.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.core.feeds.fetched import FetchResult, ParsedFeed
from bot.core.interface.alert_buttons import Keyboard
from bot.core.models import Concept, Delivery, FeedConfig, ParsedEntry
from bot.core.stories.clustering import Report, StoryFeatures, StoryRecord
from bot.errors import TranslationError
from bot.services.stories import ClusteringRules

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib", "Idleb"), "ar": ("إدلب",)}, builtin=True)


class FakeClock:
    """A clock the test moves by hand; call it to read the time."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class FakeTranslator:
    """Translates by lookup in `known`, else to "[target] text"; records every call.

    `fail` makes every call raise TranslationError; `delay` makes every call sleep first.
    """

    name = "fake"

    def __init__(self, known: dict[tuple[str, str], str] | None = None, *, fail: bool = False,
                 delay: float = 0.0) -> None:
        self.known = dict(known or {})
        self.fail = fail
        self.delay = delay
        self.calls: list[tuple[str, str, str]] = []

    async def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise TranslationError("fake translator is down")
        return self.known.get((text, target), f"[{target}] {text}")


class FakeDetector:
    """Trusts the declared language, like the real detector does; records the texts it saw."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def detect(self, text: str, declared: str | None = None) -> str | None:
        self.calls.append((text, declared))
        return declared


def FakeFetchResult(body: bytes | None, etag: str | None = None, last_modified: str | None = None,
                    final_url: str = "", not_modified: bool = False, permanent_redirect: bool = False,
                    content_type: str | None = "application/rss+xml",
                    max_age_seconds: float | None = None) -> FetchResult:
    """The core's FetchResult (what the real fetcher returns) with test defaults: a 200, or a 304."""
    return FetchResult(status=304 if not_modified else 200, body=body, etag=etag, last_modified=last_modified,
                       final_url=final_url, not_modified=not_modified, permanent_redirect=permanent_redirect,
                       content_type=content_type, max_age_seconds=max_age_seconds)


class FakeFetcher:
    """Answers each url from `responses` (a FakeFetchResult, or an exception to raise); records calls."""

    def __init__(self, responses: dict[str, FetchResult | BaseException] | None = None) -> None:
        self.responses = dict(responses or {})
        self.calls: list[tuple[str, str | None, str | None]] = []

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        self.calls.append((url, etag, last_modified))
        response = self.responses[url]
        if isinstance(response, BaseException):
            raise response
        return response

    @property
    def urls(self) -> list[str]:
        return [call[0] for call in self.calls]


def FakeParsedFeed(lang: str | None, entries: list[ParsedEntry] | None = None,
                   ttl_seconds: float | None = None) -> ParsedFeed:
    """The core's ParsedFeed (what the real parser returns) with the parts the scan reads."""
    return ParsedFeed(title="", lang=lang, entries=list(entries or []), ttl_seconds=ttl_seconds)


class FakeParser:
    """Maps a body to canned entries (`feeds[body]`), or raises `feeds[body]` if it is an exception."""

    def __init__(self, feeds: dict[bytes, ParsedFeed | BaseException] | None = None) -> None:
        self.feeds = dict(feeds or {})
        self.calls: list[tuple[bytes, str, str | None]] = []

    def __call__(self, body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
        self.calls.append((body, url, content_type))
        parsed = self.feeds[body]
        if isinstance(parsed, BaseException):
            raise parsed
        return parsed


@dataclass
class SentMessage:
    chat_id: int
    text: str
    html: bool
    at: float = 0.0
    silent: bool = False
    buttons: Keyboard = ()
    thread_id: int | None = None
    reply_to: int | None = None
    message_id: int | None = None
    """Telegram's id of the message (sent or edited)."""


class FakeMonotonic:
    """A monotonic clock in seconds that only moves when `sleep` is awaited (or by hand)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class FakeNotifier:
    """Records the notices admins would get (the AdminAlerts port)."""

    def __init__(self) -> None:
        self.notices: list[str] = []

    async def notify_admins(self, text: str) -> None:
        self.notices.append(text)


class FakeSender:
    """Records every send attempt; `script[chat_id]` lists what to do on successive sends to that chat.

    An item is None (succeed), an exception instance (raised) or a callable taking `html` and returning
    an exception or None. `always[chat_id]` is such a callable used for every send to that chat. When a
    chat's script is used up, sends succeed. With `monotonic`, each attempt is stamped with its time;
    with `gate`, every send waits for the event, so tests can see what is in flight at once.
    Edits are recorded in `edits` (accepted) and answered by `edit_script[chat_id]` the same way.
    """

    def __init__(self, monotonic: Callable[[], float] | None = None, gate: asyncio.Event | None = None) -> None:
        self.attempts: list[SentMessage] = []
        self.sent: list[SentMessage] = []
        self.script: dict[int, list[BaseException | Callable[[bool], BaseException | None] | None]] = {}
        self.always: dict[int, Callable[[bool], BaseException | None]] = {}
        self.monotonic = monotonic
        self.gate = gate
        self.in_flight: list[int] = []
        self.most_in_flight = 0
        self.same_chat_overlaps = 0
        self.edits: list[SentMessage] = []
        self.edit_script: dict[int, list[BaseException | None]] = {}
        self._next_id = 1000

    async def edit(self, chat_id: int, message_id: int, text: str, *, html: bool = True,
                   buttons: Keyboard = ()) -> None:
        step = self.edit_script[chat_id].pop(0) if self.edit_script.get(chat_id) else None
        if step is not None:
            raise step
        self.edits.append(SentMessage(chat_id, text, html, self.monotonic() if self.monotonic else 0.0, True,
                                      buttons, message_id=message_id))

    async def send(self, chat_id: int, text: str, *, html: bool = True, silent: bool = False,
                   buttons: Keyboard = (), thread_id: int | None = None, reply_to: int | None = None) -> int | None:
        message = SentMessage(chat_id, text, html, self.monotonic() if self.monotonic else 0.0, silent, buttons,
                              thread_id, reply_to)
        self.attempts.append(message)
        self.same_chat_overlaps += chat_id in self.in_flight
        self.in_flight.append(chat_id)
        self.most_in_flight = max(self.most_in_flight, len(self.in_flight))
        try:
            if self.gate is not None:
                await self.gate.wait()
        finally:
            self.in_flight.remove(chat_id)
        error: BaseException | None = None
        if chat_id in self.always:
            error = self.always[chat_id](html)
        elif self.script.get(chat_id):
            step = self.script[chat_id].pop(0)
            error = step(html) if callable(step) else step
        if error is not None:
            raise error
        self._next_id += 1
        message.message_id = self._next_id
        self.sent.append(message)
        return self._next_id


async def outbox_rows(store: Storage) -> list[dict[str, Any]]:
    """Every outbox row, oldest first, as plain dicts."""
    async with store.engine.connect() as conn:
        rows = (await conn.execute(select(db.outbox).order_by(db.outbox.c.id))).mappings().all()
    return [dict(row) for row in rows]


async def entry_identities(store: Storage) -> set[str]:
    """The identities of every stored entry."""
    async with store.engine.connect() as conn:
        return set((await conn.execute(select(db.entries.c.identity))).scalars())


async def queue_messages(store: Storage, now: datetime, messages: Iterable[tuple[int, str]],
                         feed_url: str = "https://queue.example/rss") -> None:
    """Subscribe each chat, then write one entry and one outbox row per (chat_id, text), in order."""
    feed = await store.add_feed(FeedConfig("Queue", feed_url, "en"), now)
    messages = list(messages)
    for chat_id in dict.fromkeys(chat_id for chat_id, _ in messages):
        await store.subscribe(chat_id, "en", [], now)
    for number, (chat_id, text) in enumerate(messages):
        identity = f"{chat_id}-{number}-{now.isoformat()}"
        entry = ParsedEntry(identity=identity, title=f"item {number}", summary="", link=None, lang="en")
        await store.store_fetch_result(
            feed.id, entries=[entry], deliveries={identity: [Delivery(chat_id, text, "k")]}, etag=None,
            last_modified=None, now=now, next_check_at=now + timedelta(hours=1),
        )


class EventClustering(ClusteringRules):
    """Stories as the test declares them: reports whose links map to one event name join one story
    (the name stands in for the title the placeholder clustering compares); other links stand alone."""

    def __init__(self, events: dict[str, str]) -> None:
        self.events = events

    def features(self, report: Report) -> StoryFeatures:
        return StoryFeatures(titles=frozenset({self.events.get(report.link, report.link)}))

    def choose(self, report: Report, features: StoryFeatures, open_stories: Sequence[StoryRecord]) -> int | None:
        return next((story.story_id for story in open_stories if story.features.titles & features.titles), None)


def story_reports(feed: FeedConfig, entries: Iterable[ParsedEntry], now: datetime) -> dict[str, Report]:
    """Each entry as clustering sees it, its site the feed's host."""
    site = feed.url.split("/")[2]
    return {e.identity: Report(key=e.identity, source=site, lang=e.lang or feed.lang,
                               published=e.published_at or now, title=e.title, link=e.link or "")
            for e in entries}
