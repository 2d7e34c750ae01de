"""Fixtures for the operator commands (`check`, `health`): the fakes on 127.0.0.1 and the settings to reach them."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from cli_support import BOT_TOKEN  # noqa: E402
from fakes import FakeBotApi, FakeFeedServer, FakeLibreTranslate  # noqa: E402


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(BOT_TOKEN, bot_username="idlib_alerts_bot") as api:
        yield api


@pytest.fixture
async def feed_server() -> AsyncIterator[FakeFeedServer]:
    async with FakeFeedServer() as server:
        yield server


@pytest.fixture
async def libre() -> AsyncIterator[FakeLibreTranslate]:
    async with FakeLibreTranslate() as server:
        yield server
