"""Public Telegram channels as sources: the real Fetcher and ChannelReader against FakeChannelPreview on
127.0.0.1, and a scan cycle on SQLite that turns a channel's posts into alerts.

Post kinds: plain text, a photo with a caption, a forwarded post, an edited post, a deleted post, an
album, a long post, a reply (whose quote is not the post's text); a channel that does not exist and a
private one; paging back with "before" links after downtime.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scan_world import World
from service_fakes import FakeClock, outbox_rows

from bot.adapters.feeds.channel_reader import ChannelReader
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.storage.database import Storage
from bot.core.feeds.telegram_channel import channel_feed_url
from bot.core.models import FeedConfig
from bot.errors import FeedError

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes.channel_preview import FakeChannelPreview, FakePost  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LONG = ("Heavy shelling hit the outskirts of Idlib this morning, according to local sources. " * 30).strip()


def post(post_id: int, text: str, **kinds: object) -> FakePost:
    return FakePost(post_id, text, NOW - timedelta(minutes=200 - post_id), **kinds)  # type: ignore[arg-type]


@pytest.fixture
async def preview() -> AsyncIterator[FakeChannelPreview]:
    async with FakeChannelPreview(page_size=5) as server:
        yield server


@pytest.fixture
async def reader(preview: FakeChannelPreview) -> AsyncIterator[ChannelReader]:
    fetcher = Fetcher(allow_private_addresses=True, total_timeout=5.0, max_bytes=500_000)
    yield ChannelReader(fetcher, preview_base=preview.base_url, max_pages=3)
    await fetcher.aclose()


URL = channel_feed_url("idlib_news")


async def test_channel_post_kinds_become_entries(preview: FakeChannelPreview, reader: ChannelReader) -> None:
    preview.page_size = 20
    preview.set_channel("idlib_news", [
        post(10, "Idlib: market reopened\nTraders returned after two weeks.", emoji=True),
        post(11, "Photo: the damaged bridge near Saraqib", photos=1),
        post(12, "Convoy seen on the M4 highway", forwarded_from="Syria Civil Defence"),
        post(13, "Correction: the road near Ariha is open", edited=True),
        post(14, "Posted by mistake"),
        post(15, "Three photos from Jisr al-Shughur", photos=3),
        post(16, LONG),
        post(17, "We confirm it", reply_to="Earlier: a quoted message about Aleppo"),
    ], title="Idlib News")
    preview.delete_post("idlib_news", 14)

    result, parsed = await reader.read(URL, None)

    assert parsed is not None and result.etag == "17" and not result.not_modified
    entries = {entry.link: entry for entry in parsed.entries}
    assert sorted(entries) == [f"https://t.me/idlib_news/{n}" for n in (10, 11, 12, 13, 15, 16, 17)]  # 14 deleted
    text = entries["https://t.me/idlib_news/10"]
    assert (text.title, text.summary) == ("🔴 Idlib: market reopened", "Traders returned after two weeks.")
    assert text.identity == "tg:idlib_news/10" and text.published_at == NOW - timedelta(minutes=190)
    assert entries["https://t.me/idlib_news/11"].title.startswith("Photo: the damaged bridge near Saraqib")
    forwarded = entries["https://t.me/idlib_news/12"]
    assert forwarded.summary.startswith("Forwarded from Syria Civil Defence")
    assert entries["https://t.me/idlib_news/15"].title.startswith("Three photos")  # one entry for the album
    long = entries["https://t.me/idlib_news/16"]
    assert long.title == "Heavy shelling hit the outskirts of Idlib this morning, according to local sources."
    assert len(long.title) + len(long.summary) > 2000  # matching sees the whole post
    reply = entries["https://t.me/idlib_news/17"]
    assert "Aleppo" not in reply.title + reply.summary  # the quote belongs to another message


async def test_channel_edit_keeps_identity_and_nothing_new_is_not_modified(
        preview: FakeChannelPreview, reader: ChannelReader) -> None:
    preview.set_channel("idlib_news", [post(1, "First"), post(2, "Second")])
    first, _ = await reader.read(URL, None)
    preview.edit_post("idlib_news", 2, "Second, corrected")

    again, parsed = await reader.read(URL, first.etag)

    assert (again.not_modified, parsed, again.etag) == (True, None, "2")


async def test_channel_catch_up_follows_before_links_after_downtime(
        preview: FakeChannelPreview, reader: ChannelReader) -> None:
    preview.set_channel("idlib_news", [post(n, f"Post {n}") for n in range(1, 4)])
    first, _ = await reader.read(URL, None)
    preview.add_posts("idlib_news", [post(n, f"Post {n}") for n in range(4, 16)])  # 12 new, pages of 5

    result, parsed = await reader.read(URL, first.etag)

    assert parsed is not None and result.etag == "15"
    assert [entry.title for entry in parsed.entries] == [f"Post {n}" for n in range(4, 16)]
    assert preview.requests[-3:] == ["/s/idlib_news", "/s/idlib_news?before=11", "/s/idlib_news?before=6"]


async def test_channel_catch_up_stops_after_max_pages(preview: FakeChannelPreview, reader: ChannelReader) -> None:
    preview.set_channel("idlib_news", [post(1, "Post 1")])
    first, _ = await reader.read(URL, None)
    preview.add_posts("idlib_news", [post(n, f"Post {n}") for n in range(2, 40)])

    result, parsed = await reader.read(URL, first.etag)

    assert parsed is not None and len(parsed.entries) == 15 and result.etag == "39"  # three pages, no more
    assert len(preview.requests) == 4


async def test_first_read_of_a_channel_takes_one_page(preview: FakeChannelPreview, reader: ChannelReader) -> None:
    preview.set_channel("idlib_news", [post(n, f"Post {n}") for n in range(1, 30)])

    _, parsed = await reader.read(URL, None)

    assert parsed is not None and len(parsed.entries) == 5 and preview.requests == ["/s/idlib_news"]


@pytest.mark.parametrize(("name", "error"), [("nobody_here", "no such channel"),
                                             ("secret_room", "no public preview")])
async def test_unreadable_channel_is_a_feed_error(preview: FakeChannelPreview, reader: ChannelReader,
                                                  name: str, error: str) -> None:
    preview.set_private("secret_room", "Secret Room")

    with pytest.raises(FeedError, match=error):
        await reader.read(channel_feed_url(name), None)


async def test_channel_cursor_damaged_in_storage_reads_afresh(preview: FakeChannelPreview,
                                                              reader: ChannelReader) -> None:
    preview.set_channel("idlib_news", [post(1, "Only post")])

    result, parsed = await reader.read(URL, "W/\"not-a-post-id\"")

    assert parsed is not None and [e.title for e in parsed.entries] == ["Only post"] and result.etag == "1"


async def test_channel_scan_alerts_new_posts_once(storage: Storage, clock: FakeClock, preview: FakeChannelPreview,
                                                  reader: ChannelReader) -> None:
    clock.now = NOW
    world = World(storage, clock, channels=reader)
    source = FeedConfig("Idlib News (Telegram)", URL, "en")
    await world.add_feeds(source)
    await world.subscribe(1, "en")
    preview.set_channel("idlib_news", [post(1, "Weather in Aleppo")])
    await world.scan.run_cycle()
    preview.add_posts("idlib_news", [post(2, "Shelling reported near Idlib\nTwo civilians were hurt.")])

    clock.now = NOW + timedelta(minutes=10)
    await world.scan.run_cycle()
    clock.now = NOW + timedelta(minutes=20)
    await world.scan.run_cycle()

    rows = await outbox_rows(storage)
    assert len(rows) == 1
    assert "Shelling reported near Idlib" in rows[0]["text"] and "https://t.me/idlib_news/2" in rows[0]["text"]
    assert (await world.feed(URL)).etag == "2"
