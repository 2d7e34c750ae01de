"""One scan cycle: claim due feeds, fetch them concurrently, keep new entries, match, translate, queue alerts.

Data flows one way: fetch -> parse -> new entries -> language -> match -> translate -> outbox rows,
and each feed's result (entries, outbox rows, fetch state) is written in one transaction. A failing
feed becomes a recorded failure with a backoff; it never stops the other feeds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.formatting import AlertContent, needs_translation, render_alert
from bot.core.matching import ConceptMatch, SubscriptionMatcher
from bot.core.models import LANGUAGES, Delivery, Feed, ParsedEntry
from bot.core.schedule import failure_backoff, is_too_old, next_check_after_success
from bot.errors import FeedError
from bot.services.ports import FeedStore, LanguageDetector, SubscriberStore
from bot.services.translation import TranslationService

log = logging.getLogger(__name__)


class FetchOutcome(Protocol):
    """What the fetcher returns (bot.adapters.fetcher.FetchResult)."""

    body: bytes | None
    etag: str | None
    last_modified: str | None
    final_url: str
    not_modified: bool
    permanent_redirect: bool
    content_type: str | None


class FeedFetcher(Protocol):
    """Conditional GET of a feed."""

    async def fetch(self, url: str, etag: str | None = None,
                    last_modified: str | None = None) -> FetchOutcome: ...


class ParsedFeedLike(Protocol):
    """What the parser returns (bot.adapters.feed_parser.ParsedFeed)."""

    lang: str | None
    entries: list[ParsedEntry]


FeedParser = Callable[..., ParsedFeedLike]


class Store(FeedStore, SubscriberStore, Protocol):
    """The storage a scan needs."""


@dataclass
class CycleReport:
    """What one cycle did, for logs and tests."""

    feeds: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    not_modified: int = 0
    new_entries: int = 0
    alerts: int = 0


class ScanService:
    """Runs scan cycles; everything it touches is passed in."""

    def __init__(self, store: Store, fetcher: FeedFetcher, parse: FeedParser, detector: LanguageDetector,
                 translation: TranslationService, clock: Callable[[], datetime], *, interval: timedelta,
                 max_entry_age: timedelta, concurrency: int = 20, lease: timedelta = timedelta(minutes=5),
                 rng: random.Random | None = None) -> None:
        self.store = store
        self.fetcher = fetcher
        self.parse = parse
        self.detector = detector
        self.translation = translation
        self.clock = clock
        self.interval = interval
        self.max_entry_age = max_entry_age
        self.concurrency = concurrency
        self.lease = lease
        self.rng = rng or random.Random()
        self._matcher: tuple[tuple[int, int, int], SubscriptionMatcher] | None = None

    async def run_cycle(self) -> CycleReport:
        """Check every due feed once."""
        now = self.clock()
        report = CycleReport()
        feeds = await self.store.claim_due_feeds(now, self.lease, limit=1000)
        if not feeds:
            return report
        matcher = await self._current_matcher()
        languages: dict[int, str] = {}
        gate = asyncio.Semaphore(self.concurrency)

        async def one(feed: Feed) -> None:
            async with gate:
                await self._scan_feed(feed, matcher, languages, report)

        report.feeds = len(feeds)
        await asyncio.gather(*(one(feed) for feed in feeds))
        if report.new_entries or report.failed:
            log.info("scan: %d feeds, %d new entries, %d alerts queued, %d not modified, %d failed",
                     report.feeds, report.new_entries, report.alerts, report.not_modified, len(report.failed))
        return report

    async def _current_matcher(self) -> SubscriptionMatcher:
        """The compiled matcher, rebuilt only when the active keywords changed since the last cycle."""
        signature = await self.store.keywords_signature()
        if self._matcher is None or self._matcher[0] != signature:
            self._matcher = (signature, SubscriptionMatcher(await self.store.active_keywords()))
        return self._matcher[1]

    async def _scan_feed(self, feed: Feed, matcher: SubscriptionMatcher, languages: dict[int, str],
                         report: CycleReport) -> None:
        try:
            result = await self.fetcher.fetch(feed.url, feed.etag, feed.last_modified)
            if result.not_modified or result.body is None:
                report.not_modified += 1
                await self.store.record_not_modified(feed.id, self.clock(), self._next_check())
                return
            parsed = await asyncio.to_thread(  # CPU-heavy on big feeds: keep the event loop free
                self.parse, result.body, url=result.final_url or feed.url, content_type=result.content_type)
        except FeedError as error:
            await self._record_failure(feed, str(error) or type(error).__name__, report)
            return
        except Exception as error:  # a bug must not stop the other feeds; record it like a failure
            log.exception("unexpected error scanning %s", feed.name)
            await self._record_failure(feed, f"internal error: {type(error).__name__}: {error}", report)
            return
        fresh = await self._new_entries(feed, parsed)
        deliveries: dict[str, list[Delivery]] = {}
        now = self.clock()
        for entry in fresh:
            if is_too_old(entry.published_at, now, self.max_entry_age):
                continue
            routes = matcher.route(entry.title, entry.summary, entry.lang)
            if routes:
                deliveries[entry.identity] = await self._alerts(feed, entry, routes, languages)
        inserted = await self.store.store_fetch_result(
            feed.id, entries=fresh, deliveries=deliveries, etag=result.etag, last_modified=result.last_modified,
            now=self.clock(), next_check_at=self._next_check(),
            url=result.final_url if result.permanent_redirect else None,
        )
        report.new_entries += inserted
        report.alerts += sum(len(d) for d in deliveries.values()) if inserted else 0

    async def _new_entries(self, feed: Feed, parsed: ParsedFeedLike) -> list[ParsedEntry]:
        unique = {entry.identity: entry for entry in reversed(parsed.entries)}
        known = await self.store.known_identities(feed.id, list(unique))
        fresh = []
        for identity, entry in unique.items():
            if identity in known:
                continue
            declared = entry.lang if entry.lang in LANGUAGES else feed.lang
            lang = self.detector.detect(f"{entry.title}\n{entry.summary}", declared) or feed.lang
            fresh.append(dataclasses.replace(entry, lang=lang))
        fresh.sort(key=lambda e: e.published_at.timestamp() if e.published_at else float("inf"))
        return fresh

    async def _alerts(self, feed: Feed, entry: ParsedEntry, routes: Mapping[int, Sequence[ConceptMatch]],
                      languages: dict[int, str]) -> list[Delivery]:
        lang = entry.lang or feed.lang
        alerts = []
        translated: dict[str, tuple[str | None, str | None]] = {}
        unknown = [chat_id for chat_id in routes if chat_id not in languages]
        if unknown:  # one query per entry at most, shared by the whole cycle
            found = await self.store.languages(unknown)
            languages.update({chat_id: found.get(chat_id, "en") for chat_id in unknown})
        for chat_id, matches in routes.items():
            target = languages[chat_id]
            title_t = summary_t = None
            if needs_translation(lang, target):
                if target not in translated:
                    translated[target] = await self.translation.translate_pair(entry.title, entry.summary,
                                                                               lang, target)
                title_t, summary_t = translated[target]
            content = AlertContent(
                source=feed.name, lang=lang, title=entry.title, summary=entry.summary, link=entry.link,
                keyword=", ".join(m.concept.label for m in matches),
                quotes=tuple(q for m in matches for q in m.quotes), target=target,
                translated_title=title_t, translated_summary=summary_t if title_t else None,
                translation_failed=needs_translation(lang, target) and title_t is None,
            )
            alerts.append(Delivery(chat_id=chat_id, text=render_alert(content), keyword=matches[0].concept.key))
        return alerts

    async def _record_failure(self, feed: Feed, error: str, report: CycleReport) -> None:
        report.failed[feed.name] = error
        delay = failure_backoff(feed.error_count + 1, self.interval, self.rng.random())
        log.warning("feed %s failed (%d in a row): %s", feed.name, feed.error_count + 1, error)
        now = self.clock()
        await self.store.record_fetch_failure(feed.id, error[:500], now, now + delay)

    def _next_check(self) -> datetime:
        return next_check_after_success(self.clock(), self.interval, self.rng.random())
