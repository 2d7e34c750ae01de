"""Preference commands that half-applied a bad request or gave the wrong reason (issue 12, item 18)."""

from __future__ import annotations

import pytest
from service_fakes import IDLIB, FakeClock

from bot.adapters.storage.database import Storage
from bot.errors import UserError
from bot.services.preferences import PreferenceService


async def test_a_bad_quiet_mode_stores_no_quiet_hours(storage: Storage, clock: FakeClock) -> None:
    service = PreferenceService(storage, clock)
    await storage.subscribe(5, "en", [IDLIB], clock())
    for words in (["23-7", "loud"], ["23-7", "silent", "extra"], []):
        with pytest.raises(UserError):
            await service.set_quiet(5, words)
    subscriber = await storage.get_subscriber(5)
    assert subscriber is not None and subscriber.quiet_start is None and subscriber.quiet_end is None
    assert await service.set_quiet(5, ["23-7", "HOLD"]) == "23:00–07:00"
    subscriber = await storage.get_subscriber(5)
    assert subscriber is not None and (subscriber.quiet_start, subscriber.quiet_mode) == (23 * 60, "hold")


async def test_urgent_says_a_term_is_too_long_not_empty(storage: Storage, clock: FakeClock) -> None:
    service = PreferenceService(storage, clock)
    await storage.subscribe(5, "en", [IDLIB], clock())
    with pytest.raises(UserError, match="at most"):
        await service.toggle_urgent(5, "x" * 65)
    with pytest.raises(UserError, match="empty"):
        await service.toggle_urgent(5, "   ")
