"""Fixtures for the storage adapter tests: one real database per backend, SQLite and PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (default: the local trust-auth server). It is required, not
optional: when it is unreachable the PostgreSQL half of the tests fails with a message saying so.
Each test gets an empty `public` schema.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.adapters.storage.database import Storage, normalize_database_url

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def pg_url() -> str:
    """The PostgreSQL test database URL."""
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL


async def reset_pg_schema(database_url: str) -> None:
    """Drop and recreate `public`, failing the test clearly if PostgreSQL cannot be reached."""
    url = normalize_database_url(database_url)
    engine = create_async_engine(url, connect_args={"timeout": 5})
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:
        pytest.fail(
            f"PostgreSQL test database {url.render_as_string(hide_password=True)} is unreachable "
            f"({type(exc).__name__}: {exc}). Start it (pg_ctlcluster --skip-systemctl-redirect "
            f"<version> main start) or point TEST_DATABASE_URL at a reachable server.",
            pytrace=False,
        )
    finally:
        await engine.dispose()


@pytest.fixture
def now() -> datetime:
    """A fixed aware UTC time; storage never reads the clock."""
    return NOW


@pytest.fixture
async def pg_database_url() -> str:
    """A reachable, empty PostgreSQL database (fails the test if there is none)."""
    url = pg_url()
    await reset_pg_schema(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each backend: a SQLite file under tmp_path, or the PostgreSQL test DB."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/bot.sqlite3"
    url = pg_url()
    await reset_pg_schema(url)
    return url


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[Storage]:
    """A connected, migrated Storage on each backend."""
    store = await Storage.connect(database_url)
    try:
        yield store
    finally:
        await store.close()
