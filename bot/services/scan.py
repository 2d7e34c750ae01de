"""One scan cycle: claim due feeds, fetch them concurrently, keep new entries, match, translate, queue alerts.

Data flows one way: fetch -> parse -> new entries -> language -> match -> translate -> outbox rows,
and each feed's result (entries, outbox rows, fetch state, health) is written in one transaction. A
failing feed becomes a recorded failure with a backoff; it never stops the other feeds. Each feed is
checked in its own task; only fetching and parsing count against the concurrency limit (shared by
all cycles), and the claimed feeds are interleaved by host so one site's per-host limit never idles
it. A cycle waits at most `cycle_budget` for its feeds, so a hanging feed keeps only its own slot
(and lease) until its fetch times out and never holds back the next tick. What a check means for the
feed's schedule, health and the admins is decided as one plan (bot.core.feeds.check_plan) and recorded
in one call by bot.services.feed_health. A cycle queues at most `max_alerts_per_chat` alerts (stories) per
chat; the rest go out as one summary message when the cycle's budget is over (core/delivery/alert_cap.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from bot.core.delivery.alert_cap import DEFAULT_MAX_ALERTS_PER_CHAT, AlertCap
from bot.core.delivery.late_translation import encode
from bot.core.feeds.fetched import FetchResult, ParsedFeed
from bot.core.feeds.intake import take_in
from bot.core.feeds.novelty import lookup_identities, lookup_links, new_entries
from bot.core.feeds.schedule import SchedulePolicy, interleave, is_too_old
from bot.core.interface.formatting import AlertContent, Localizer, needs_translation, render_alert
from bot.core.matching.matcher import ConceptMatch, SubscriptionMatcher
from bot.core.metrics import ALERTS_QUEUED, ENTRIES_NEW, FEEDS_CHECKED, MATCHES, NoMetrics
from bot.core.models import LANGUAGES, Delivery, Feed, ParsedEntry
from bot.core.stories.clustering import Report
from bot.errors import FeedError
from bot.services.feed_health import FeedHealth, FeedHealthOptions
from bot.services.ports import ChannelSource, FeedFetcher, FeedParser, LanguageDetection, Metrics, ScanStorage
from bot.services.stories import StoryReports
from bot.services.translation import TranslationService

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    """What one cycle did, for logs and tests (feeds still in flight when the cycle returned add theirs later)."""

    feeds: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    not_modified: int = 0
    new_entries: int = 0
    alerts: int = 0
    """Outbox rows queued, summary rows included."""
    summarised: int = 0
    """Rows over a chat's alert cap, queued for its summary message."""
    in_flight: int = 0


@dataclass(frozen=True)
class _Cycle:
    """What one cycle's feed checks share: its start, matcher, chats' languages, alert cap and report."""

    started: datetime
    matcher: SubscriptionMatcher
    languages: dict[int, str]
    cap: AlertCap
    report: CycleReport


@dataclass(frozen=True)
class Fetched:
    """A fetch of one feed: the response and, unless it was a 304, the parsed body; or what went wrong."""

    result: FetchResult | None = None
    parsed: ParsedFeed | None = None
    error: str | None = None
    retry_after: float | None = None


class ScanService:
    """Runs scan cycles; everything it touches is passed in."""

    def __init__(self, store: ScanStorage, fetcher: FeedFetcher, parse: FeedParser, detector: LanguageDetection,
                 translation: TranslationService, clock: Callable[[], datetime], *, interval: timedelta,
                 max_entry_age: timedelta, concurrency: int = 20, lease: timedelta = timedelta(minutes=5),
                 rng: random.Random | None = None, max_interval: timedelta = timedelta(minutes=30),
                 health: FeedHealthOptions | None = None, cycle_budget: timedelta | None = None,
                 localize: Localizer | None = None, channels: ChannelSource | None = None,
                 stories: StoryReports | None = None, metrics: Metrics | None = None,
                 max_alerts_per_chat: int = DEFAULT_MAX_ALERTS_PER_CHAT) -> None:
        self.store = store
        self.channels = channels
        self.metrics = metrics or NoMetrics()
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
        self.health = FeedHealth(store, self.policy, clock, self.rng, health or FeedHealthOptions())
        self.cycle_budget = cycle_budget
        self.max_alerts_per_chat = max_alerts_per_chat
        self.localize = localize
        self.stories = stories
        """Builds each matched entry's story report (None: entries join no story)."""
        self._gate = asyncio.Semaphore(concurrency)
        self._processing = asyncio.Semaphore(concurrency)
        self._running: dict[int, asyncio.Task[None]] = {}
        self._matcher: tuple[tuple[int, int, int], SubscriptionMatcher] | None = None

    async def run_cycle(self) -> CycleReport:
        """Check every due feed once; wait for them at most `cycle_budget` (None: until all are done)."""
        started = self.clock()
        report = CycleReport()
        claimed = await self.store.claim_due_feeds(self.policy.due_by(started), self.lease, limit=1000)
        running = [feed for feed in claimed if feed.id not in self._running]  # a lease ran out mid-fetch
        feeds = interleave(running, lambda feed: urlsplit(feed.url).netloc)  # one site's feeds don't queue up
        if not feeds:
            return report
        matcher = await self._current_matcher()
        languages: dict[int, str] = {}
        report.feeds = len(feeds)
        cap = AlertCap(self.max_alerts_per_chat, started + (self.cycle_budget or timedelta(0)))
        tasks = [self._start(feed, _Cycle(started, matcher, languages, cap, report)) for feed in feeds]
        budget = None if self.cycle_budget is None else self.cycle_budget.total_seconds()
        _, pending = await asyncio.wait(tasks, timeout=budget)
        report.in_flight = len(pending)
        if report.new_entries or report.failed or pending:
            log.info("scan: %d feeds, %d new entries, %d alerts queued (%d over the per-chat cap, summarised), "
                     "%d not modified, %d failed, %d still going", report.feeds, report.new_entries, report.alerts,
                     report.summarised, report.not_modified, len(report.failed), len(pending))
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

    def _start(self, feed: Feed, cycle: _Cycle) -> asyncio.Task[None]:
        task = asyncio.create_task(self._check(feed, cycle))
        self._running[feed.id] = task
        task.add_done_callback(lambda _: self._running.pop(feed.id, None))
        return task

    async def _check(self, feed: Feed, cycle: _Cycle) -> None:
        """Fetch and parse under the fetch limit; match, translate and store under a limit of their own, so
        that waiting for the database or the translator never idles a fetch slot."""
        try:
            async with self._gate:
                fetched = await self._fetch(feed)
            async with self._processing:
                await self._record(feed, fetched, cycle)
        except Exception:  # storage down, or a bug: log it, the lease makes the feed due again
            log.exception("could not finish the check of feed %s", feed.name)

    async def _current_matcher(self) -> SubscriptionMatcher:
        """The compiled matcher, rebuilt only when the active keywords changed since the last cycle."""
        signature = await self.store.keywords_signature()
        if self._matcher is None or self._matcher[0] != signature:
            self._matcher = (signature, SubscriptionMatcher(await self.store.active_keywords()))
        return self._matcher[1]

    async def _fetch(self, feed: Feed) -> Fetched:
        """Conditional GET, then parse (in a thread: CPU-heavy on big feeds), or a channel's new posts; every
        failure becomes `error`."""
        try:
            if self.channels is not None and self.channels.handles(feed.url):  # its cursor is kept as the ETag
                channel_result, channel_posts = await self.channels.read(feed.url, feed.etag)
                return Fetched(channel_result, channel_posts)
            result = await self.fetcher.fetch(feed.url, feed.etag, feed.last_modified)
            if result.not_modified or result.body is None:
                return Fetched(result)
            parsed = await asyncio.to_thread(
                self.parse, result.body, url=result.final_url or feed.url, content_type=result.content_type)
            return Fetched(result, parsed)
        except FeedError as error:
            return Fetched(error=str(error) or type(error).__name__, retry_after=getattr(error, "retry_after", None))
        except Exception as error:  # a bug must not stop the other feeds; record it like a failure
            log.exception("unexpected error scanning %s", feed.name)
            return Fetched(error=f"internal error: {type(error).__name__}: {error}")

    async def _record(self, feed: Feed, fetched: Fetched, cycle: _Cycle) -> None:
        """Plan what the check means (bot.core.feeds.check_plan) and record it in one call: the new entries,
        their alerts (within the cycle's per-chat cap) and the feed's state and health in one transaction."""
        started, report = cycle.started, cycle.report
        if fetched.error is not None or fetched.result is None:
            report.failed[feed.name] = fetched.error or "no response"
            self.metrics.count(FEEDS_CHECKED, result="failed")
            await self.health.record(feed, self.health.failure(feed, started, report.failed[feed.name],
                                                               fetched.retry_after))
            return
        result, parsed = fetched.result, fetched.parsed
        if parsed is None:
            report.not_modified += 1
            self.metrics.count(FEEDS_CHECKED, result="not_modified")
            await self.health.record(feed, self.health.not_modified(feed, started, result.max_age_seconds))
            return
        fresh = await self._new_entries(feed, parsed)
        deliveries = await self._deliveries(feed, fresh, cycle.matcher, cycle.languages)
        reports = await self._reports(feed, fresh, deliveries)
        plan = self.health.success(feed, started, result, ttl=parsed.ttl_seconds, entries=fresh,
                                   deliveries=deliveries, reports=reports)
        inserted = await self.health.record(feed, plan, self.stories.clustering if self.stories else None, cycle.cap)
        queued = sum(len(d) for d in deliveries.values()) if inserted else 0
        report.new_entries += inserted
        report.alerts += queued
        report.summarised = cycle.cap.summarised
        self._count_success(inserted, len(deliveries) if inserted else 0, queued)

    def _count_success(self, new_entries: int, matched: int, queued: int) -> None:
        self.metrics.count(FEEDS_CHECKED, result="ok")
        self.metrics.count(ENTRIES_NEW, new_entries)
        self.metrics.count(MATCHES, matched)
        self.metrics.count(ALERTS_QUEUED, queued)

    async def _deliveries(self, feed: Feed, fresh: Sequence[ParsedEntry], matcher: SubscriptionMatcher,
                          languages: dict[int, str]) -> dict[str, list[Delivery]]:
        """The alerts of each recent entry that matched someone's keywords, by entry identity."""
        deliveries: dict[str, list[Delivery]] = {}
        now = self.clock()
        for entry in fresh:
            if is_too_old(entry.published_at, now, self.max_entry_age):
                continue
            routes = matcher.route(entry.title, entry.summary, entry.lang)
            if routes:
                deliveries[entry.identity] = await self._alerts(feed, entry, routes, languages)
        return deliveries

    async def _reports(self, feed: Feed, fresh: Sequence[ParsedEntry],
                       deliveries: Mapping[str, Sequence[Delivery]]) -> dict[str, Report]:
        """Each alerted entry as story clustering sees it (bot/services/stories.py), by entry identity."""
        if self.stories is None:
            return {}
        now = self.clock()
        return {entry.identity: await self.stories.report(feed, entry, now) for entry in fresh
                if entry.identity in deliveries}

    async def _new_entries(self, feed: Feed, parsed: ParsedFeed) -> list[ParsedEntry]:
        """New stories only (bot.core.feeds.novelty: guid reuse, re-publication), with their language decided."""
        entries = parsed.entries
        known = await self.store.known_entries(feed.id, lookup_identities(entries), lookup_links(entries))
        fresh = []
        for entry in take_in(new_entries(entries, known), self.clock()):  # capped, no future dates
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
        rendered: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], tuple[str, str | None]] = {}
        unknown = [chat_id for chat_id in routes if chat_id not in languages]
        if unknown:  # one query per entry at most, shared by the whole cycle
            found = await self.store.languages(unknown)
            languages.update({chat_id: found.get(chat_id, "en") for chat_id in unknown})
        for chat_id, matches in routes.items():
            target = languages[chat_id]
            key = (target, tuple((m.concept.label, m.quotes) for m in matches))
            if key not in rendered:  # thousands of chats share a few distinct alerts
                rendered[key] = await self._render(feed, entry, lang, target, matches, translated)
            text, untranslated = rendered[key]
            alerts.append(Delivery(chat_id=chat_id, text=text, keyword=matches[0].concept.key,
                                   untranslated=untranslated))
        return alerts

    async def _render(self, feed: Feed, entry: ParsedEntry, lang: str, target: str, matches: Sequence[ConceptMatch],
                      translated: dict[str, tuple[str | None, str | None]]) -> tuple[str, str | None]:
        """The alert text for readers of `target`, translating once per target language, and when every
        translator failed, its content to render again once one answers (bot/core/delivery/late_translation.py)."""
        title_t = summary_t = None
        if needs_translation(lang, target):
            if target not in translated:
                translated[target] = await self.translation.translate_pair(entry.title, entry.summary, lang, target)
            title_t, summary_t = translated[target]
        content = AlertContent(
            source=feed.name, lang=lang, title=entry.title, summary=entry.summary, link=entry.link,
            keyword=", ".join(m.concept.label for m in matches),
            quotes=tuple(q for m in matches for q in m.quotes), target=target,
            translated_title=title_t, translated_summary=summary_t if title_t else None,
            translation_failed=needs_translation(lang, target) and title_t is None,
        )
        return render_alert(content, self.localize), encode(content) if content.translation_failed else None
