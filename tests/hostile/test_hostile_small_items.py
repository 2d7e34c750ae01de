"""Issue 12's smaller findings, one regression test each: invisible characters in words (9), HTML cut
mid-tag (12), a digest with many sources (13), future dates and floods of new entries (14, 7), bidi
overrides (20), edited commands (21), odd ADMIN_IDS (22), /addfeed parsing on the event loop (23) and
multi-member gzip bodies (24)."""

from __future__ import annotations

import asyncio
import gzip
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes.html_check import balanced
from telegram import Chat, Message, MessageEntity, Update, User

from bot.adapters.feeds.capped_body import CappedDecoder
from bot.adapters.feeds.feed_parser import parse_feed
from bot.core.delivery.digest import DigestItem, render_digest
from bot.core.feeds.html import strip_html
from bot.core.feeds.intake import take_in
from bot.core.interface.formatting import TELEGRAM_LIMIT, AlertContent, fit, render_alert
from bot.core.interface.i18n import Texts
from bot.core.matching.text import tokenize
from bot.core.models import FeedConfig, ParsedEntry
from bot.errors import SettingsError
from bot.handlers.command_table import COMMANDS, HandlerSet, register_commands
from bot.services.feeds import FeedAdminService
from bot.settings import Settings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_invisible_characters_inside_a_word_do_not_break_matching(invisible: str) -> None:
    text = f"Shelling near Id{invisible}lib and إد{invisible}لب"
    tokens = tokenize(text)
    assert [token.norm for token in tokens][-3:] == ["idlib", "and", "ادلب"]
    idlib = tokens[2]
    assert text[idlib.start:idlib.end] == f"Id{invisible}lib"  # the span still covers the original text


def test_alerts_are_cut_between_tags_and_entities_and_stay_valid_html() -> None:
    long_title = "Idlib & M4 <update> " * 400
    alert = AlertContent(source="Wire", lang="en", title=long_title, summary=long_title, link="https://n.example/1",
                         keyword="Idlib", quotes=("Idlib",), target="en")
    text = render_alert(alert)
    assert len(text) <= TELEGRAM_LIMIT and balanced(text)
    for size in range(TELEGRAM_LIMIT - 40, TELEGRAM_LIMIT + 1):  # every cut position near the limit
        html = "<b>" + "x&amp;<i>y</i> " * 1000 + "</b>"
        cut = fit(html[:size] + "</b>" if size < len(html) else html, TELEGRAM_LIMIT - 100)
        assert len(cut) <= TELEGRAM_LIMIT - 100 and balanced(cut), cut[-40:]


def test_a_digest_story_with_many_sources_keeps_valid_links() -> None:
    items = [DigestItem("Shelling on the M4 near Saraqib", f"Source number {n}", f"https://news{n}.example/a/{n}",
                        story=1) for n in range(60)]
    messages = render_digest(items, Texts("en"))
    assert all(len(message) <= TELEGRAM_LIMIT and balanced(message) for message in messages)
    joined = "".join(messages)
    assert joined.count("<a href=") > 20 and re.search(r"\+\d+", joined)


def _entry(n: int, published: datetime | None) -> ParsedEntry:
    return ParsedEntry(identity=f"id{n}", title=f"Item {n}", summary="", link=f"https://n.example/{n}",
                       guid=None, published_at=published, lang="en")


def test_future_dates_are_clamped_to_the_fetch_time() -> None:
    taken = take_in([_entry(1, datetime(2100, 1, 1, tzinfo=UTC)), _entry(2, NOW - timedelta(hours=1))], NOW)
    assert [entry.published_at for entry in taken] == [NOW, NOW - timedelta(hours=1)]


def test_a_flood_of_new_entries_is_capped_newest_first() -> None:
    entries = [_entry(n, NOW - timedelta(minutes=n)) for n in range(20_000)]
    taken = take_in(entries[::-1], NOW, limit=100)  # the feed lists them oldest first
    assert len(taken) == 100
    assert {entry.identity for entry in taken} == {f"id{n}" for n in range(100)}


def test_bidi_overrides_from_feeds_never_reach_titles_or_links() -> None:
    assert strip_html("Breaking \u202egnp.exe\u202c news \u2066x\u2069") == "Breaking gnp.exe news x"
    body = ('<rss version="2.0"><channel><title>t</title><item><title>\u202eevil</title>'
            "<link>https://news.example/\u202ea</link></item></channel></rss>").encode()
    entry = parse_feed(body, url="https://news.example/rss").entries[0]
    assert entry.title == "evil" and entry.link is not None and "\u202e" not in entry.link


class _AnyHandlers:
    def __getattr__(self, name: str) -> Any:
        async def answer(update: object, context: object) -> None:
            return None
        return answer


class _RecordingApp:
    def __init__(self) -> None:
        self.handlers: list[Any] = []

    def add_handler(self, handler: Any) -> None:
        self.handlers.append(handler)


def _update(text: str, *, edited: bool) -> Update:
    user = User(7, "Reader", is_bot=False)
    message = Message(1, datetime.now(UTC), Chat(7, Chat.PRIVATE), from_user=user, text=text,
                      entities=[MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))])
    return Update(1, edited_message=message) if edited else Update(1, message=message)


def test_editing_an_old_command_never_runs_it_again() -> None:
    app = _RecordingApp()
    handlers = HandlerSet(*(_AnyHandlers() for _ in range(7)))  # type: ignore[arg-type]
    register_commands(app, handlers, guard=lambda callback: callback)  # type: ignore[arg-type]
    add = next(handler for handler in app.handlers if "add" in handler.commands)
    assert add.filters.check_update(_update("/add Saraqib", edited=False))
    assert not add.filters.check_update(_update("/add Saraqib", edited=True))
    assert len(app.handlers) == len(COMMANDS)
    assert all(not handler.filters.check_update(_update(f"/{next(iter(handler.commands))} x", edited=True))
               for handler in app.handlers)


@pytest.mark.parametrize("raw", ["1_000", "١٢٣", "-5", "0", "12345678901234567890123", "+7", "1e3"])
def test_admin_ids_accept_only_plain_positive_user_ids(raw: str) -> None:
    with pytest.raises(SettingsError, match="ADMIN_IDS"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "ADMIN_IDS": raw})
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "ADMIN_IDS": "12345, 6789012345"})
    assert settings.admin_ids == frozenset({12345, 6789012345})


class _FetchOnce:
    def __init__(self, body: bytes) -> None:
        self.body = body

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Any:
        return type("Result", (), {"body": self.body, "final_url": url, "content_type": "application/rss+xml"})()


class _Feeds:
    async def add_feed(self, feed: FeedConfig, now: datetime) -> FeedConfig:
        return feed


async def test_addfeed_parses_off_the_event_loop() -> None:
    threads: list[threading.Thread] = []

    def parse(body: bytes, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return parse_feed(body, **kwargs)

    body = b'<rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>'
    service = FeedAdminService(_Feeds(), _FetchOnce(body), parse, lambda: NOW)  # type: ignore[arg-type]
    _, count = await service.add(FeedConfig("Wire", "https://news.example/rss", "en"))
    assert count == 1 and threads and threads[0] is not threading.main_thread()
    assert asyncio.get_running_loop()  # the loop thread is the main one: parsing ran elsewhere


def test_a_multi_member_gzip_body_is_read_whole() -> None:
    body = gzip.compress(b"<rss><channel>") + gzip.compress(b"<item>two</item>") + gzip.compress(b"</channel></rss>")
    for chunk_size in (len(body), 7, 1):
        decoder = CappedDecoder("gzip", 10_000)
        for start in range(0, len(body), chunk_size):
            decoder.feed(body[start:start + chunk_size])
        assert decoder.finish() == b"<rss><channel><item>two</item></channel></rss>", chunk_size
