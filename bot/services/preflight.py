"""What `python -m bot check` probes before an operator starts the bot: each feed once, each translator once.

Nothing is stored. A feed probe fetches and parses the feed and compares the language it declares in
FEEDS_FILE with the language most of its entries are detected in (a feed declared `ar` that
publishes English shows up here, before its alerts are mistranslated). A translator probe translates
one short sentence through one provider, bypassing the chain's breakers and the cache.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.models import FeedConfig
from bot.errors import BotError
from bot.services.ports import FeedFetcher, FeedParser, LanguageDetection, MachineTranslator

PROBE_TEXT = ("Shelling near Idlib on the M4 highway", "en", "ar")


@dataclass(frozen=True)
class FeedProbe:
    """One feed, fetched and parsed once."""

    feed: FeedConfig
    ok: bool
    status: str
    entries: int
    detected: str | None
    seconds: float

    @property
    def language_agrees(self) -> bool:
        """Whether most entries are in the declared language (unknown counts as agreeing)."""
        return self.detected is None or self.detected == self.feed.lang


@dataclass(frozen=True)
class TranslatorProbe:
    """One provider asked to translate PROBE_TEXT."""

    provider: str
    ok: bool
    result: str
    seconds: float


async def probe_feeds(feeds: Sequence[FeedConfig], fetcher: FeedFetcher, parse: FeedParser,
                      detector: LanguageDetection, *, concurrency: int = 10,
                      monotonic: Callable[[], float] = time.monotonic) -> list[FeedProbe]:
    """Probe every feed, `concurrency` at a time; the results keep the order of `feeds`."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(feed: FeedConfig) -> FeedProbe:
        async with gate:
            return await probe_feed(feed, fetcher, parse, detector, monotonic)

    return list(await asyncio.gather(*(one(feed) for feed in feeds)))


async def probe_feed(feed: FeedConfig, fetcher: FeedFetcher, parse: FeedParser, detector: LanguageDetection,
                     monotonic: Callable[[], float] = time.monotonic) -> FeedProbe:
    """Fetch and parse `feed` once; a failure is a result naming what went wrong."""
    started = monotonic()
    try:
        fetched = await fetcher.fetch(feed.url)
        parsed = parse(fetched.body or b"", url=fetched.final_url, content_type=fetched.content_type)
    except BotError as error:
        return FeedProbe(feed, False, _one_line(str(error)), 0, None, monotonic() - started)
    languages = Counter(detector.detect(f"{e.title}\n{e.summary}") for e in parsed.entries)
    languages.pop(None, None)
    detected = languages.most_common(1)[0][0] if languages else None
    return FeedProbe(feed, True, "ok", len(parsed.entries), detected, monotonic() - started)


async def probe_translators(providers: Sequence[MachineTranslator], *, seconds_each: float,
                            monotonic: Callable[[], float] = time.monotonic) -> list[TranslatorProbe]:
    """Ask each provider, one after the other, to translate PROBE_TEXT within `seconds_each` seconds."""
    probes = []
    for provider in providers:
        started = monotonic()
        try:
            async with asyncio.timeout(seconds_each):
                result = await provider.translate(*PROBE_TEXT)
            probes.append(TranslatorProbe(provider.name, bool(result.strip()), _one_line(result),
                                          monotonic() - started))
        except (BotError, TimeoutError) as error:
            probes.append(TranslatorProbe(provider.name, False, _one_line(str(error) or "timed out"),
                                          monotonic() - started))
    return probes


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
