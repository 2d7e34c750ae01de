"""Session set-up shared by every test directory: one PostgreSQL database per pytest-xdist worker.

The suite runs in parallel (`-n` in pyproject's addopts). The storage tests empty the `public` schema of
the TEST_DATABASE_URL database before each test, so two workers must never share it: each worker gets
its own database on the same server, named after the configured one and the worker id (`test_gw0`,
`test_gw1`...; created when missing), and TEST_DATABASE_URL is pointed at it for everything in that
worker (tests/storage/conftest.py, tests/fakes/worker_cluster.py). A run without xdist (`-n 0`, `-p
no:xdist`) uses TEST_DATABASE_URL as it is. PostgreSQL stays required: when the server cannot be
reached, nothing is created here and the tests that need it fail with the message saying so.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

import pytest

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def worker_database_url(base_url: str, worker: str) -> str:
    """`base_url` with its database renamed for xdist worker `worker` (`.../test` -> `.../test_gw0`)."""
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    return url.set(database=f"{url.database or 'test'}_{worker}").render_as_string(hide_password=False)


async def _create_database_if_missing(database_url: str) -> None:
    """CREATE DATABASE the database of `database_url`, connecting to the server's `postgres` database."""
    import asyncpg  # type: ignore[import-untyped]
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql")
    name = url.database
    admin = url.set(database="postgres").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin, timeout=10)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the `slow` tests first, then the other end-to-end ones (stable otherwise): in a parallel run
    the long tests then start together on different workers instead of one of them ending the run."""
    def rank(item: pytest.Item) -> int:
        return 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("e2e") else 2
    items.sort(key=rank)


def pytest_configure(config: pytest.Config) -> None:
    """Give this xdist worker a PostgreSQL database of its own (see the module docstring)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    url = worker_database_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL, worker)
    os.environ["TEST_DATABASE_URL"] = url
    with contextlib.suppress(Exception):  # unreachable server: the PostgreSQL tests fail and say why
        asyncio.run(_create_database_if_missing(url))
