"""Storage adapter tests, run against real SQLite and real PostgreSQL (see conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from bot.adapters import schema as db
from bot.adapters.migrations import alembic_config, current_revision
from bot.adapters.storage import Storage, normalize_database_url
from bot.core.models import Concept, Delivery, FeedConfig, ParsedEntry
from bot.errors import StorageError

LEASE = timedelta(minutes=5)
IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ["Idlib"], "ar": ["إدلب"]}, builtin=True)
M4 = Concept(key="m4", label="M4 highway", ambiguous={"en": ["M4"]}, context={"en": ["Syria"]}, builtin=True)
ALEPPO = Concept(key="aleppo", label="Aleppo", terms={"en": ["Aleppo"], "tr": ["Halep"]})


def entry(identity: str, **extra: object) -> ParsedEntry:
    return ParsedEntry(identity=identity, title=f"title {identity}", summary="s", link=f"https://x/{identity}",
                       **extra)  # type: ignore[arg-type]


async def make_feed(storage: Storage, now: datetime, name: str = "SANA", url: str = "https://sana") -> int:
    return (await storage.add_feed(FeedConfig(name, url, "ar"), now)).id


async def store(storage: Storage, feed_id: int, now: datetime, entries: list[ParsedEntry],
                deliveries: dict[str, list[Delivery]] | None = None, **kw: object) -> int:
    return await storage.store_fetch_result(
        feed_id, entries=entries, deliveries=deliveries or {}, etag=kw.get("etag"),  # type: ignore[arg-type]
        last_modified=None, now=now, next_check_at=now + timedelta(minutes=5), url=kw.get("url"),  # type: ignore[arg-type]
    )


# -- connecting ------------------------------------------------------------------------------------


def test_url_normalisation() -> None:
    assert normalize_database_url("postgres://u:p@h:5432/d").drivername == "postgresql+asyncpg"
    assert normalize_database_url("postgresql://u@h/d").drivername == "postgresql+asyncpg"
    assert normalize_database_url("sqlite:///data/bot.sqlite3").drivername == "sqlite+aiosqlite"
    assert normalize_database_url("sqlite:///data/bot.sqlite3").database == "data/bot.sqlite3"
    assert dict(normalize_database_url("postgres://h/d?sslmode=require").query) == {"ssl": "require"}


@pytest.mark.parametrize("url", ["", "not a url", "mysql://root:hunter2@127.0.0.1/db"])
async def test_bad_url_raises_storage_error(url: str) -> None:
    with pytest.raises(StorageError) as info:
        await Storage.connect(url)
    assert "\n" not in str(info.value) and "hunter2" not in str(info.value)


async def test_unreachable_database_raises_storage_error_without_password() -> None:
    with pytest.raises(StorageError, match="cannot open database") as info:
        await Storage.connect("postgresql://postgres:hunter2@127.0.0.1:1/test")
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)


async def test_heroku_postgres_scheme_connects(pg_database_url: str) -> None:
    heroku = "postgres://" + pg_database_url.split("://", 1)[1]
    storage = await Storage.connect(heroku)
    try:
        assert storage.engine.dialect.name == "postgresql"
        assert (await storage.stats())["feeds"] == 0
    finally:
        await storage.close()


async def test_sqlite_creates_directory_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bot.sqlite3"
    storage = await Storage.connect(f"sqlite:///{path}")
    try:
        assert path.exists()
        async with storage.engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
            assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        await storage.close()


async def test_migrated_schema_matches_metadata(storage: Storage) -> None:
    async with storage.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), db.metadata))
    assert diff == []


async def test_restart_keeps_data_and_migrations_are_a_no_op(database_url: str, now: datetime) -> None:
    first = await Storage.connect(database_url)
    feed_id = await make_feed(first, now)
    assert await store(first, feed_id, now, [entry("a")], {"a": [Delivery(1, "alert", "idlib")]}) == 1
    await first.close()

    second = await Storage.connect(database_url)
    try:
        async with second.engine.connect() as conn:
            revision = await conn.run_sync(current_revision)
        assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head() == "0001"
        assert await second.known_identities(feed_id, ["a", "b"]) == {"a"}
        assert await store(second, feed_id, now, [entry("a")], {"a": [Delivery(1, "alert", "idlib")]}) == 0
        assert (await second.stats())["pending_outbox"] == 1
    finally:
        await second.close()


# -- feeds -----------------------------------------------------------------------------------------


async def test_sync_feeds(storage: Storage, now: datetime) -> None:
    admin = await storage.add_feed(FeedConfig("Admin", "https://admin/rss", "en"), now)
    file_feeds = [FeedConfig("B", "https://b/rss", "tr"), FeedConfig("A", "https://a/rss", "ar")]
    await storage.sync_feeds(file_feeds, now)
    feeds = await storage.list_feeds()
    assert [f.name for f in feeds] == ["A", "Admin", "B"]
    assert all(f.next_check_at == now and f.active and f.error_count == 0 for f in feeds)

    later = now + timedelta(hours=1)
    await storage.sync_feeds([FeedConfig("A renamed", "https://a/rss", "en")], later)
    feeds = await storage.list_feeds()
    assert [(f.name, f.lang) for f in feeds] == [("A renamed", "en"), ("Admin", "en")]
    assert feeds[0].next_check_at == now  # an existing active feed keeps its schedule
    assert feeds[1].id == admin.id

    await storage.sync_feeds([FeedConfig("B", "https://b/rss", "tr")], later)
    b = [f for f in await storage.list_feeds() if f.name == "B"]
    assert len(b) == 1 and b[0].next_check_at == later  # reactivated and due at once
    await storage.sync_feeds([], later)
    assert [f.name for f in await storage.list_feeds()] == ["Admin"]


async def test_add_and_remove_feed(storage: Storage, now: datetime) -> None:
    feed = await storage.add_feed(FeedConfig("SANA", "https://sana/rss", "ar"), now)
    assert (feed.name, feed.url, feed.lang, feed.active) == ("SANA", "https://sana/rss", "ar", True)
    assert feed.next_check_at == now
    assert feed.next_check_at.tzinfo is not None and feed.checks == 0
    assert await storage.remove_feed("sana") is True
    assert await storage.remove_feed("SANA") is False
    assert await storage.list_feeds() == []
    again = await storage.add_feed(FeedConfig("SANA 2", "https://sana/rss", "ar"), now + LEASE)
    assert again.id == feed.id and again.active and again.name == "SANA 2"
    await storage.sync_feeds([], now)  # admin feeds survive a sync
    assert [f.id for f in await storage.list_feeds()] == [feed.id]
    assert await storage.remove_feed("https://sana/rss") is True
    assert await storage.remove_feed("nothing") is False


async def test_claim_due_feeds_leases(storage: Storage, now: datetime) -> None:
    a = await make_feed(storage, now - timedelta(minutes=2), "A", "https://a")
    b = await make_feed(storage, now - timedelta(minutes=1), "B", "https://b")
    await make_feed(storage, now + timedelta(minutes=1), "future", "https://c")
    await storage.add_feed(FeedConfig("off", "https://off", "en"), now - timedelta(hours=1))
    await storage.remove_feed("off")

    claimed = await storage.claim_due_feeds(now, LEASE, limit=1)
    assert [f.id for f in claimed] == [a]
    assert claimed[0].next_check_at == now - timedelta(minutes=2)  # as it was before the lease
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 10)] == [b]
    assert await storage.claim_due_feeds(now + LEASE - timedelta(seconds=1), LEASE, 10) != []  # "future"
    assert await storage.claim_due_feeds(now + LEASE - timedelta(seconds=1), LEASE, 10) == []
    assert {f.id for f in await storage.claim_due_feeds(now + LEASE, LEASE, 10)} == {a, b}


async def test_concurrent_claims_do_not_overlap(storage: Storage, now: datetime) -> None:
    ids = {await make_feed(storage, now, f"F{i}", f"https://f{i}") for i in range(6)}
    results = await asyncio.gather(*(storage.claim_due_feeds(now, LEASE, 4) for _ in range(3)))
    claimed = [f.id for result in results for f in result]
    assert len(claimed) == len(set(claimed)) and set(claimed) == ids


async def test_fetch_failure_and_not_modified(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.record_fetch_failure(feed_id, "HTTP 500 " + "x" * 5000, now, now + timedelta(minutes=10))
    await storage.record_fetch_failure(feed_id, "timeout", now + LEASE, now + timedelta(minutes=20))
    [feed] = await storage.list_feeds()
    assert (feed.error_count, feed.last_error, feed.checks) == (2, "timeout", 2)
    assert feed.last_error_at == now + LEASE and feed.next_check_at == now + timedelta(minutes=20)
    await storage.record_not_modified(feed_id, now + 2 * LEASE, now + timedelta(hours=1))
    [feed] = await storage.list_feeds()
    assert (feed.error_count, feed.checks, feed.not_modified) == (0, 3, 1)
    assert feed.last_success_at == now + 2 * LEASE and feed.next_check_at == now + timedelta(hours=1)


async def test_store_fetch_result_is_idempotent(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    long_id = "https://example.org/" + "x" * 600
    batch = [entry("a", lang="en", published_at=now - timedelta(hours=1)), entry("b"), entry(long_id)]
    deliveries = {"a": [Delivery(1, "A1", "idlib"), Delivery(2, "A2", "m4"), Delivery(1, "dup", "m4")],
                  "b": [Delivery(1, "B1", "idlib")]}
    assert await store(storage, feed_id, now, batch, deliveries, etag='"v1"', url="https://sana/new") == 3
    assert await storage.known_identities(feed_id, ["a", "b", long_id, "zzz"]) == {"a", "b", long_id}
    assert await storage.known_identities(feed_id, []) == set()
    assert await storage.pending_count() == 3 and await storage.pending_count(1) == 2
    [feed] = await storage.list_feeds()
    assert (feed.etag, feed.url, feed.checks, feed.last_success_at) == ('"v1"', "https://sana/new", 1, now)

    again = now + LEASE
    more = {**deliveries, "c": [Delivery(3, "C3", "idlib")]}
    assert await store(storage, feed_id, again, [*batch, entry("c")], more) == 1
    assert await storage.pending_count() == 4 and await storage.pending_count(3) == 1
    assert (await storage.stats())["entries"] == 4
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(select(db.entries.c.identity, db.entries.c.lang, db.entries.c.published_at)
                                   .order_by(db.entries.c.id))).all()
    assert [(r.identity, r.lang) for r in rows][:2] == [("a", "en"), ("b", "ar")]  # feed language fallback
    assert rows[0].published_at == now - timedelta(hours=1) and rows[0].published_at.tzinfo is not None


async def test_redirect_onto_another_feeds_url_keeps_the_url(storage: Storage, now: datetime) -> None:
    first = await make_feed(storage, now, "A", "https://a")
    second = await make_feed(storage, now, "B", "https://b")
    assert await store(storage, second, now, [entry("x")], url="https://a") == 1
    assert {f.id: f.url for f in await storage.list_feeds()} == {first: "https://a", second: "https://b"}


async def test_store_fetch_result_is_one_transaction(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    bad = ParsedEntry(identity="bad", title=None, summary="s", link=None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        await store(storage, feed_id, now, [entry("ok"), bad], {"ok": [Delivery(1, "t", "k")]})
    assert await storage.known_identities(feed_id, ["ok"]) == set()
    assert await storage.pending_count() == 0


# -- subscribers and keywords ----------------------------------------------------------------------


async def test_subscribe_unsubscribe_resubscribe(storage: Storage, now: datetime) -> None:
    assert await storage.subscribe(7, "tr", [IDLIB, M4], now) is True
    assert await storage.subscribe(7, "en", [IDLIB], now) is False
    assert await storage.get_subscriber(7) is not None
    assert (await storage.get_subscriber(7)).language == "tr"  # type: ignore[union-attr]
    assert await storage.keywords(7) == [IDLIB, M4]
    assert await storage.add_keyword(7, ALEPPO, now) is True
    assert await storage.add_keyword(7, ALEPPO, now) is False
    assert await storage.count_keywords(7) == 3

    feed_id = await make_feed(storage, now)
    alerts = {"a": [Delivery(7, "alert", "idlib"), Delivery(8, "x", "k")]}
    await store(storage, feed_id, now, [entry("a")], alerts)
    assert await storage.unsubscribe(7, now) is True
    assert await storage.unsubscribe(7, now) is False
    assert await storage.pending_count(7) == 0 and await storage.pending_count(8) == 1
    assert [m.chat_id for m in await storage.claim_outbox(now, LEASE, 10)] == [8]
    assert (await storage.get_subscriber(7)).active is False  # type: ignore[union-attr]

    assert await storage.subscribe(7, "ru", [IDLIB], now) is True
    assert await storage.keywords(7) == [IDLIB, M4, ALEPPO]  # kept, not reset to the defaults
    assert (await storage.get_subscriber(7)).language == "tr"  # type: ignore[union-attr]
    assert await storage.pending_count(7) == 0  # no backlog after /start


async def test_resubscribe_without_keywords_gets_defaults(storage: Storage, now: datetime) -> None:
    await storage.subscribe(5, "en", [IDLIB], now)
    assert await storage.remove_keyword(5, "idlib") == IDLIB
    await storage.unsubscribe(5, now)
    assert await storage.subscribe(5, "en", [IDLIB, M4], now) is True
    assert [c.key for c in await storage.keywords(5)] == ["idlib", "m4"]


async def test_deactivate_cancels_with_reason(storage: Storage, now: datetime) -> None:
    await storage.subscribe(9, "en", [], now)
    feed_id = await make_feed(storage, now)
    await store(storage, feed_id, now, [entry("a")], {"a": [Delivery(9, "alert", "idlib")]})
    await storage.deactivate(9, "blocked by user", now)
    assert (await storage.get_subscriber(9)).active is False  # type: ignore[union-attr]
    async with storage.engine.connect() as conn:
        row = (await conn.execute(select(db.outbox.c.status, db.outbox.c.last_error))).one()
    assert tuple(row) == ("cancelled", "blocked by user")
    assert await storage.get_subscriber(404) is None


async def test_keywords_language_and_stats(storage: Storage, now: datetime) -> None:
    await storage.subscribe(1, "en", [IDLIB], now)
    await storage.subscribe(2, "ar", [M4], now)
    await storage.add_keyword(2, ALEPPO, now)
    await storage.unsubscribe(1, now)
    assert [(k.chat_id, k.concept.key) for k in await storage.active_keywords()] == [(2, "m4"), (2, "aleppo")]
    assert await storage.set_language(2, "tr", now) is True
    assert await storage.set_language(3, "tr", now) is False
    assert (await storage.get_subscriber(2)).language == "tr"  # type: ignore[union-attr]
    assert await storage.remove_keyword(2, "m4 HIGHWAY") == M4  # label, any case
    assert await storage.remove_keyword(2, "m4") is None
    assert await storage.remove_keyword(2, "aleppo") == ALEPPO  # key
    assert await storage.count_keywords(2) == 0 and await storage.keywords(2) == []
    with pytest.raises(LookupError):
        await storage.add_keyword(404, ALEPPO, now)
    stats = await storage.stats()
    assert stats == {"active_subscribers": 1, "feeds": 0, "entries": 0,
                     "pending_outbox": 0, "sent_outbox": 0, "failed_outbox": 0}


# -- outbox ----------------------------------------------------------------------------------------


async def test_outbox_claim_and_marks(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await store(storage, feed_id, now, [entry("a"), entry("b"), entry("c")],
                {k: [Delivery(1, f"text {k}", "idlib")] for k in "abc"})
    assert await storage.claim_outbox(now - timedelta(seconds=1), LEASE, 10) == []
    first = await storage.claim_outbox(now, LEASE, 2)
    assert [m.text for m in first] == ["text a", "text b"] and first[0].attempts == 0
    assert [m.text for m in await storage.claim_outbox(now, LEASE, 10)] == ["text c"]
    assert await storage.claim_outbox(now + LEASE - timedelta(seconds=1), LEASE, 10) == []

    a, b = first
    await storage.mark_sent(a.id, 555, now)
    await storage.mark_retry(b.id, "429 retry after 3", now + timedelta(seconds=3))
    retried = await storage.claim_outbox(now + timedelta(seconds=3), LEASE, 10)
    assert [(m.id, m.attempts) for m in retried] == [(b.id, 1)]
    await storage.mark_failed(b.id, "400 bad request", now)
    assert await storage.claim_outbox(now + 10 * LEASE, LEASE, 10) != []  # "c" after its lease ran out
    stats = await storage.stats()
    assert (stats["pending_outbox"], stats["sent_outbox"], stats["failed_outbox"]) == (1, 1, 1)
    async with storage.engine.connect() as conn:
        rows = {r.id: r for r in await conn.execute(select(db.outbox))}
    assert rows[a.id].telegram_message_id == 555 and rows[a.id].sent_at == now
    assert rows[a.id].sent_at.tzinfo is not None
    assert (rows[b.id].status, rows[b.id].attempts, rows[b.id].last_error) == ("failed", 2, "400 bad request")


async def test_datetimes_are_aware_utc(storage: Storage, now: datetime) -> None:
    plus3 = now.astimezone(timezone(timedelta(hours=3)))
    feed = await storage.add_feed(FeedConfig("F", "https://f", "en"), plus3)
    assert feed.next_check_at == now and feed.next_check_at.utcoffset() == timedelta(0)
    assert [f.id for f in await storage.claim_due_feeds(now, LEASE, 5)] == [feed.id]
    with pytest.raises(Exception, match="naive"):
        await storage.add_feed(FeedConfig("G", "https://g", "en"), datetime(2025, 1, 1))


# -- translations ----------------------------------------------------------------------------------


async def test_translation_cache(storage: Storage, now: datetime) -> None:
    assert await storage.get_translation("قصف إدلب", "ar", "en") is None
    await storage.put_translation("قصف إدلب", "ar", "en", "Idlib shelled", "google", now)
    assert await storage.get_translation("قصف إدلب", "ar", "en") == "Idlib shelled"
    assert await storage.get_translation("قصف إدلب", "ar", "tr") is None
    await storage.put_translation("قصف إدلب", "ar", "en", "Shelling in Idlib", "libre", now)
    assert await storage.get_translation("قصف إدلب", "ar", "en") == "Shelling in Idlib"
    await asyncio.gather(*(storage.put_translation("x", "en", "ru", "икс", "google", now) for _ in range(5)))
    assert await storage.get_translation("x", "en", "ru") == "икс"
    async with storage.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM translations"))).scalar() == 2
