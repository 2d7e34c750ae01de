"""`python -m bot check`: everything an operator should know before starting the bot, in one run.

1. settings and config files, with the same one-line errors as `run` (exit 2);
2. the database can be opened;
3. `getMe` with the token (the bot's @username);
4. every configured feed fetched and parsed once: a table of status, entries, declared and detected
   language, and time;
5. every translator in TRANSLATOR's chain asked for one sentence.

Exit 0 when the bot can work; 1 when something essential fails (database, token, or not one feed
answering). Failing translators are warnings: alerts then go out untranslated. `--offline` stops after
step 2 and does not need a token (CI uses it to show an installed wheel finds its packaged config).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from telegram import Bot

from bot.adapters.config_files import load_concepts, load_feeds, load_places, load_topics
from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.storage.database import Storage
from bot.adapters.translation.language import LanguageDetector
from bot.app import build_translator_chain
from bot.core.models import FeedConfig
from bot.errors import StorageError
from bot.services.preflight import FeedProbe, probe_feeds, probe_translators
from bot.settings import Settings


async def run_check(settings: Settings, out: TextIO, *, offline: bool = False) -> int:
    """Run the checks in order, printing as it goes; return the exit status."""
    feeds = load_feeds(settings.feeds_file)  # ConfigFileError: one line, exit 2, as at start
    print(f"settings: ok (translator chain: {settings.translator})", file=out)
    print(f"feeds: {settings.feeds_file} ({len(feeds)} feeds)", file=out)
    places = load_places(settings.places_file)
    print(f"keywords: {settings.keywords_file} ({len(load_concepts(settings.keywords_file, places))} concepts)",
          file=out)
    print(f"places: {settings.places_file} ({len(places)} places)", file=out)
    print(f"topics: {settings.topics_file} ({len(load_topics(settings.topics_file))} topics)", file=out)
    essential_ok = await _check_database(settings, out)
    if offline:
        return 0 if essential_ok else 1
    essential_ok = await _check_telegram(settings, out) and essential_ok
    essential_ok = await _check_feeds(settings, feeds, out) and essential_ok
    await _check_translators(settings, out)
    print("result: " + ("ready" if essential_ok else "NOT ready: fix the failures above"), file=out)
    return 0 if essential_ok else 1


async def _check_database(settings: Settings, out: TextIO) -> bool:
    try:
        storage = await Storage.connect(settings.database_url, migrate=False)
    except StorageError as error:
        print(f"database: FAILED: {error}", file=out)
        return False
    await storage.close()
    print("database: ok", file=out)
    return True


async def _check_telegram(settings: Settings, out: TextIO) -> bool:
    api = settings.telegram_api_url
    try:
        async with Bot(settings.telegram_token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot") as bot:
            me = bot.bot
    except Exception as error:  # InvalidToken, NetworkError, TimedOut...: say which, never the token
        message = str(error).replace(settings.telegram_token, "<token>")
        print(f"telegram: FAILED getMe at {api}: {type(error).__name__}: {message}", file=out)
        return False
    print(f"telegram: ok, @{me.username} (id {me.id})", file=out)
    return True


async def _check_feeds(settings: Settings, feeds: Sequence[FeedConfig], out: TextIO) -> bool:
    fetcher = Fetcher(max_bytes=settings.fetch_max_bytes, per_host_concurrency=settings.fetch_per_host_concurrency,
                      allow_private_addresses=settings.allow_private_feed_addresses)
    try:
        probes = await probe_feeds(feeds, fetcher, parse_feed, LanguageDetector(),
                                   concurrency=settings.fetch_concurrency)
    finally:
        await fetcher.aclose()
    print(feed_table(probes), file=out)
    working = sum(probe.ok for probe in probes)
    print(f"feeds: {working} of {len(probes)} answered", file=out)
    return working > 0 or not probes


def feed_table(probes: Sequence[FeedProbe]) -> str:
    """The feed probes as an aligned text table, one feed a line."""
    header = ("feed", "status", "entries", "declared", "detected", "time")
    rows = [(p.feed.name, p.status, str(p.entries), p.feed.lang,
             (p.detected or "?") + ("" if p.language_agrees else " (differs)"), f"{p.seconds:.2f}s")
            for p in probes]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


async def _check_translators(settings: Settings, out: TextIO) -> None:
    chain = build_translator_chain(settings)
    if not chain.providers:
        print("translators: none configured (alerts are not translated)", file=out)
        return
    for probe in await probe_translators(chain.providers, seconds_each=settings.translation_timeout_seconds):
        verdict = "ok" if probe.ok else "WARNING, failed"
        print(f"translator {probe.provider}: {verdict} in {probe.seconds:.2f}s: {probe.result}", file=out)
