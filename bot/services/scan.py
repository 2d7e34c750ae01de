"""One scan cycle: claim due feeds, fetch them concurrently, keep new entries, match, translate, queue alerts.

Data flows one way: fetch -> parse -> new entries -> language -> match -> translate -> outbox rows,
and each feed's result (entries, outbox rows, fetch state, health) is written in one transaction. A
failing feed becomes a recorded failure with a backoff; it never stops the other feeds. Each feed is
checked in its own task under a concurrency limit shared by all cycles; a cycle waits at most
`cycle_budget` for them, so a hanging feed keeps only its own slot (and lease) until its fetch times
out and never holds back the next tick. When to check each feed next, and when admins hear about a
failing or recovered feed, is decided by bot.core.schedule; the notices go out through `AdminNotifier`.
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

from bot.core.feed_health import failure_notice, recovery_notice
from bot.core.formatting import AlertContent, needs_translation, render_alert
from bot.core.matching import ConceptMatch, SubscriptionMatcher
from bot.core.models import LANGUAGES, Delivery, Feed, ParsedEntry
from bot.core.novelty import lookup_identities, lookup_links, new_entries
from bot.core.schedule import PublishingRate, SchedulePolicy, failure_alert_due, is_too_old, server_floor
from bot.errors import FeedError
from bot.services.ports import AdminNotifier, FeedStore, LanguageDetector, SubscriberStore
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
    max_age_seconds: float | None


class FeedFetcher(Protocol):
    """Conditional GET of a feed."""

    async def fetch(self, url: str, etag: str | None = None,
                    last_modified: str | None = None) -> FetchOutcome: ...


class ParsedFeedLike(Protocol):
    """What the parser returns (bot.adapters.feed_parser.ParsedFeed)."""

    lang: str | None
    entries: list[ParsedEntry]
    ttl_seconds: float | None


FeedParser = Callable[..., ParsedFeedLike]


class Store(FeedStore, SubscriberStore, Protocol):
    """The storage a scan needs."""


@dataclass
class CycleReport:
    """What one cycle did, for logs and tests (feeds still in flight when the cycle returned add theirs later)."""

    feeds: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    not_modified: int = 0
    new_entries: int = 0
    alerts: int = 0
    in_flight: int = 0


@dataclass(frozen=True)
class FeedHealthOptions:
    """How failing feeds are reported: after `alert_after` of failures, one notice through `notifier`."""

    notifier: AdminNotifier | None = None
    alert_after: timedelta = timedelta(hours=1)


class ScanService:
    """Runs scan cycles; everything it touches is passed in."""

    def __init__(self, store: Store, fetcher: FeedFetcher, parse: FeedParser, detector: LanguageDetector,
                 translation: TranslationService, clock: Callable[[], datetime], *, interval: timedelta,
                 max_entry_age: timedelta, concurrency: int = 20, lease: timedelta = timedelta(minutes=5),
                 rng: random.Random | None = None, max_interval: timedelta = timedelta(minutes=30),
                 health: FeedHealthOptions | None = None, cycle_budget: timedelta | None = None) -> None:
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
        self.policy = SchedulePolicy(scan_interval=interval, max_interval=max_interval)
        self.health = health or FeedHealthOptions()
        self.cycle_budget = cycle_budget
        self._gate = asyncio.Semaphore(concurrency)
        self._running: dict[int, asyncio.Task[None]] = {}
        self._matcher: tuple[tuple[int, int, int], SubscriptionMatcher] | None = None

    async def run_cycle(self) -> CycleReport:
        """Check every due feed once; wait for them at most `cycle_budget` (None: until all are done)."""
        started = self.clock()
        report = CycleReport()
        claimed = await self.store.claim_due_feeds(self.policy.due_by(started), self.lease, limit=1000)
        feeds = [feed for feed in claimed if feed.id not in self._running]  # a lease ran out mid-fetch
        if not feeds:
            return report
        matcher = await self._current_matcher()
        languages: dict[int, str] = {}
        report.feeds = len(feeds)
        tasks = [self._start(feed, started, matcher, languages, report) for feed in feeds]
        budget = None if self.cycle_budget is None else self.cycle_budget.total_seconds()
        _, pending = await asyncio.wait(tasks, timeout=budget)
        report.in_flight = len(pending)
        if report.new_entries or report.failed or pending:
            log.info("scan: %d feeds, %d new entries, %d alerts queued, %d not modified, %d failed, %d still going",
                     report.feeds, report.new_entries, report.alerts, report.not_modified, len(report.failed),
                     len(pending))
        return report

    async def wait_idle(self) -> None:
        """Wait until no feed check is in flight (tests, benchmarks, shutdown)."""
        while self._running:
            await asyncio.wait(list(self._running.values()))

    async def aclose(self) -> None:
        """Cancel the feed checks still in flight; their leases make them due again later."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _start(self, feed: Feed, started: datetime, matcher: SubscriptionMatcher, languages: dict[int, str],
               report: CycleReport) -> asyncio.Task[None]:
        task = asyncio.create_task(self._check(feed, started, matcher, languages, report))
        self._running[feed.id] = task
        task.add_done_callback(lambda _: self._running.pop(feed.id, None))
        return task

    async def _check(self, feed: Feed, started: datetime, matcher: SubscriptionMatcher,
                     languages: dict[int, str], report: CycleReport) -> None:
        try:
            async with self._gate:
                notice = await self._scan_feed(feed, started, matcher, languages, report)
            if notice and self.health.notifier is not None:
                await self.health.notifier.notify_admins(notice)
        except Exception:  # storage down, or a notifier bug: log it, the lease makes the feed due again
            log.exception("could not finish the check of feed %s", feed.name)

    async def _current_matcher(self) -> SubscriptionMatcher:
        """The compiled matcher, rebuilt only when the active keywords changed since the last cycle."""
        signature = await self.store.keywords_signature()
        if self._matcher is None or self._matcher[0] != signature:
            self._matcher = (signature, SubscriptionMatcher(await self.store.active_keywords()))
        return self._matcher[1]

    async def _scan_feed(self, feed: Feed, started: datetime, matcher: SubscriptionMatcher,
                         languages: dict[int, str], report: CycleReport) -> str | None:
        """Fetch, parse and store one feed; returns a notice for the admins, if one is due."""
        try:
            result = await self.fetcher.fetch(feed.url, feed.etag, feed.last_modified)
            max_age = getattr(result, "max_age_seconds", None)
            if result.not_modified or result.body is None:
                report.not_modified += 1
                now = self.clock()
                rate = self._rate(feed, now, 0)
                next_check = self._next_success(started, rate, False, max_age, feed.ttl_seconds)
                await self.store.record_not_modified(feed.id, now, next_check, rate=rate)
                return self._recovery(feed, now)
            parsed = await asyncio.to_thread(  # CPU-heavy on big feeds: keep the event loop free
                self.parse, result.body, url=result.final_url or feed.url, content_type=result.content_type)
        except FeedError as error:
            return await self._record_failure(feed, started, str(error) or type(error).__name__, report,
                                              getattr(error, "retry_after", None))
        except Exception as error:  # a bug must not stop the other feeds; record it like a failure
            log.exception("unexpected error scanning %s", feed.name)
            return await self._record_failure(feed, started, f"internal error: {type(error).__name__}: {error}",
                                              report, None)
        fresh = await self._new_entries(feed, parsed)
        deliveries: dict[str, list[Delivery]] = {}
        now = self.clock()
        for entry in fresh:
            if is_too_old(entry.published_at, now, self.max_entry_age):
                continue
            routes = matcher.route(entry.title, entry.summary, entry.lang)
            if routes:
                deliveries[entry.identity] = await self._alerts(feed, entry, routes, languages)
        now = self.clock()
        rate = self._rate(feed, now, len(fresh))
        ttl = getattr(parsed, "ttl_seconds", None)
        inserted = await self.store.store_fetch_result(
            feed.id, entries=fresh, deliveries=deliveries, etag=result.etag, last_modified=result.last_modified,
            now=now, next_check_at=self._next_success(started, rate, bool(fresh), max_age, ttl),
            url=result.final_url if result.permanent_redirect else None, rate=rate, ttl_seconds=ttl,
        )
        report.new_entries += inserted
        report.alerts += sum(len(d) for d in deliveries.values()) if inserted else 0
        return self._recovery(feed, now)

    async def _new_entries(self, feed: Feed, parsed: ParsedFeedLike) -> list[ParsedEntry]:
        """New stories only (bot.core.novelty: guid reuse, re-publication), with their language decided."""
        entries = parsed.entries
        known = await self.store.known_entries(feed.id, lookup_identities(entries), lookup_links(entries))
        fresh = []
        for entry in new_entries(entries, known):
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

    def _rate(self, feed: Feed, now: datetime, new_entries: int) -> PublishingRate:
        """The feed's publishing rate after this check; a first success (the feed's backlog) teaches nothing."""
        rate = PublishingRate(feed.entries_per_day, feed.observed_seconds)
        if feed.last_success_at is None:
            return rate
        return rate.observe(new_entries, now - feed.last_success_at)

    def _next_success(self, started: datetime, rate: PublishingRate, found_new: bool, max_age: float | None,
                      ttl: float | None) -> datetime:
        return self.policy.after_success(started, rate, found_new=found_new, jitter=self.rng.random(),
                                         server_floor=server_floor(max_age, ttl))

    def _recovery(self, feed: Feed, now: datetime) -> str | None:
        if feed.error_count:
            log.info("feed %s works again after %d failed checks", feed.name, feed.error_count)
        return recovery_notice(feed, now) if feed.failure_notified else None

    async def _record_failure(self, feed: Feed, started: datetime, error: str, report: CycleReport,
                              retry_after: float | None) -> str | None:
        report.failed[feed.name] = error
        failures = feed.error_count + 1
        log.warning("feed %s failed (%d in a row): %s", feed.name, failures, error)
        now = self.clock()
        wait = None if retry_after is None else timedelta(seconds=retry_after)
        next_check = self.policy.after_failure(started, failures, jitter=self.rng.random(), retry_after=wait)
        failing = dataclasses.replace(feed, failing_since=feed.failing_since or now)
        notify = self.health.notifier is not None and failure_alert_due(
            failing.failing_since, feed.failure_notified, now, self.health.alert_after)
        await self.store.record_fetch_failure(feed.id, error[:500], now, next_check, notified=notify)
        return failure_notice(failing, now, error, failures, next_check) if notify else None
