"""Fixtures for the service tests: a real SQLite database and a hand-moved clock.

The services are tested against bot.adapters.storage.Storage on a temporary SQLite file and the
recording fakes in service_fakes.py; nothing is patched, everything is passed in.
"""

from __future__ import annotations

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


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    """A real, migrated SQLite database in a temporary directory."""
    store = await Storage.connect(f"sqlite:///{tmp_path}/x.sqlite3")
    try:
        yield store
    finally:
        await store.close()
