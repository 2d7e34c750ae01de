"""The keyword limit holds under concurrent /add (issue 12, item 15): 40 at once with a limit of 10 store 10."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime

import pytest
from storage_helpers import ALEPPO, IDLIB

from bot.adapters.storage.database import Storage
from bot.errors import KeywordLimitReached


async def test_concurrent_adds_never_pass_the_keyword_limit(storage: Storage, now: datetime) -> None:
    await storage.subscribe(7, "en", [IDLIB], now)
    concepts = [dataclasses.replace(ALEPPO, key=f"user:place {n}", label=f"Place {n}") for n in range(40)]
    outcomes = await asyncio.gather(*(storage.add_keyword(7, concept, now, limit=10) for concept in concepts),
                                    return_exceptions=True)
    assert await storage.count_keywords(7) == 10
    assert sum(outcome is True for outcome in outcomes) == 9  # IDLIB was the first of the ten
    assert all(isinstance(outcome, KeywordLimitReached) for outcome in outcomes if outcome is not True)
    with pytest.raises(LookupError):
        await storage.add_keyword(404, ALEPPO, now, limit=10)
