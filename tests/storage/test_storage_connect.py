"""Storage tests for connecting: URL handling, errors, SQLite setup and migrations (see conftest.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from storage_helpers import entry, make_feed, store

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage, normalize_database_url
from bot.adapters.storage.migrations import alembic_config, current_revision
from bot.core.models import Delivery
from bot.errors import StorageError

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
        assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert await second.known_identities(feed_id, ["a", "b"]) == {"a"}
        assert await store(second, feed_id, now, [entry("a")], {"a": [Delivery(1, "alert", "idlib")]}) == 0
        assert (await second.stats())["pending_outbox"] == 1
    finally:
        await second.close()
