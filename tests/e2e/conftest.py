"""Shared fixtures for end-to-end tests: the fakes, each started on 127.0.0.1 and stopped afterwards.

The ``tests`` directory is put on ``sys.path`` so the fakes import as the ``fakes`` package.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes import FakeBotApi, FakeFeedServer, FakeLibreTranslate  # noqa: E402

BOT_TOKEN = "123456:TEST-token"


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(BOT_TOKEN) as api:
        yield api


@pytest.fixture
async def feed_server() -> AsyncIterator[FakeFeedServer]:
    async with FakeFeedServer() as server:
        yield server


@pytest.fixture
async def translator() -> AsyncIterator[FakeLibreTranslate]:
    known = {
        ("en", "ar", "Saraqib"): "سراقب",
        ("en", "tr", "Saraqib"): "Serakib",
        ("en", "ru", "Saraqib"): "Саракиб",
    }
    async with FakeLibreTranslate(known) as server:
        yield server


@pytest.fixture
def extra_settings() -> dict[str, str]:
    """Environment variables a test module adds to the bot's (override this fixture in the module)."""
    return {}
