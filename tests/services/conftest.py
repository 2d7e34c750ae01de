"""Fixtures for the service tests: a real SQLite database and a hand-moved clock.

The services are tested against bot.adapters.storage.Storage on a temporary SQLite file and the
recording fakes in service_fakes.py; nothing is patched, everything is passed in. The database is
migrated once per session and copied for each test (a copy opens in milliseconds; `Storage.connect`
still checks that it is at the newest revision).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from service_fakes import FakeClock, FakeMonotonic, FakeSender

from bot.adapters.storage.database import Storage


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def monotonic() -> FakeMonotonic:
    """A monotonic clock that moves only when the code under test sleeps on it."""
    return FakeMonotonic()


@pytest.fixture
def sender(monotonic: FakeMonotonic) -> FakeSender:
    """A recording Telegram sender that stamps each attempt with the fake monotonic time."""
    return FakeSender(monotonic)


async def _migrate(path: Path) -> None:
    store = await Storage.connect(f"sqlite:///{path}")
    await store.close()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated to the newest schema, made once per test session."""
    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    asyncio.run(_migrate(path))
    return path


@pytest.fixture
async def storage(tmp_path: Path, migrated_database: Path) -> AsyncIterator[Storage]:
    """A real, migrated SQLite database in a temporary directory (a copy of the session's template)."""
    shutil.copyfile(migrated_database, tmp_path / "x.sqlite3")
    store = await Storage.connect(f"sqlite:///{tmp_path}/x.sqlite3")
    try:
        yield store
    finally:
        await store.close()
