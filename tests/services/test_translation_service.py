"""TranslationService with its real SQLite cache and a recording FakeTranslator."""

from __future__ import annotations

import time

from service_fakes import FakeClock, FakeTranslator

from bot.adapters.storage.database import Storage
from bot.services.translation import TranslationService


async def test_second_call_is_served_from_cache(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator({("Idlib under fire", "ar"): "إدلب تحت النار"})
    service = TranslationService(storage, translator, clock, timeout=1.0)

    first = await service.translate("Idlib under fire", "en", "ar")
    second = await service.translate("Idlib under fire", "en", "ar")
    again = await TranslationService(storage, translator, clock).translate("Idlib under fire", "en", "ar")

    assert first == second == again == "إدلب تحت النار"
    assert translator.calls == [("Idlib under fire", "en", "ar")]
    assert await storage.get_translation("Idlib under fire", "en", "ar") == "إدلب تحت النار"
    assert await service.translate("Idlib under fire", "en", "ru") == "[ru] Idlib under fire"
    assert len(translator.calls) == 2


async def test_same_language_returns_text_untouched(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator()
    service = TranslationService(storage, translator, clock)

    assert await service.translate("Saraqib & <Idlib>", "en", "en") == "Saraqib & <Idlib>"
    assert await service.translate("", "en", "ar") == ""
    assert translator.calls == []


async def test_timeout_returns_none_quickly_and_is_not_cached(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator(delay=5.0)
    service = TranslationService(storage, translator, clock, timeout=0.2)

    started = time.monotonic()
    assert await service.translate("Idlib", "en", "ar") is None
    assert time.monotonic() - started < 1.0

    assert await storage.get_translation("Idlib", "en", "ar") is None
    translator.delay = 0.0
    assert await service.translate("Idlib", "en", "ar") == "[ar] Idlib"
    assert len(translator.calls) == 2


async def test_failure_returns_none_and_is_not_cached(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator(fail=True)
    service = TranslationService(storage, translator, clock)

    assert await service.translate("Idlib", "en", "ar") is None
    assert await service.translate_pair("Idlib", "More", "en", "ar") == (None, None)
    assert await storage.get_translation("Idlib", "en", "ar") is None


async def test_empty_translation_counts_as_failure(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator({("Idlib", "ar"): "   "})
    service = TranslationService(storage, translator, clock)

    assert await service.translate("Idlib", "en", "ar") is None
    assert await storage.get_translation("Idlib", "en", "ar") is None
