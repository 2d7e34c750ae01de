"""The translator chain: the first provider that answers wins, failing ones are skipped for a while.

The first provider is the real LibreTranslate adapter talking to the fake LibreTranslate server on
127.0.0.1; the second is the recording FakeTranslator. Breakers run on a hand-moved monotonic clock.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from service_fakes import FakeClock, FakeMonotonic, FakeTranslator

from bot.adapters.storage.database import Storage
from bot.adapters.translation.translator import make_translator
from bot.core.metrics import TRANSLATOR_CALLS
from bot.core.translation.breaker import BreakerPolicy
from bot.errors import TranslationError
from bot.services.translation import TranslationService
from bot.services.translator_chain import Translated, TranslatorChain

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fakes.translator import FakeLibreTranslate  # noqa: E402

POLICY = BreakerPolicy(failures_to_open=2, first_cool_down=60, max_cool_down=600)


class RecordingMetrics:
    """The Metrics port, remembering every count."""

    def __init__(self) -> None:
        self.counts: list[tuple[str, dict[str, str]]] = []

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None:
        self.counts.append((name, labels))

    def observe(self, name: str, value: float, **labels: str) -> None:
        raise AssertionError("the chain observes nothing")

    def gauge(self, name: str, value: float, **labels: str) -> None:
        raise AssertionError("the chain sets no gauge")


@pytest.fixture
async def libre() -> AsyncIterator[FakeLibreTranslate]:
    async with FakeLibreTranslate() as server:
        yield server


def chain_of(libre: FakeLibreTranslate, second: FakeTranslator, monotonic: FakeMonotonic,
             metrics: RecordingMetrics | None = None) -> TranslatorChain:
    first = make_translator("libre", libre_url=libre.url, timeout=5)
    return TranslatorChain([first, second], per_call_timeout=5, policy=POLICY, monotonic=monotonic, metrics=metrics)


async def test_500_then_429_from_the_first_provider_still_translates_through_the_second(
        storage: Storage, clock: FakeClock, monotonic: FakeMonotonic, libre: FakeLibreTranslate) -> None:
    second = FakeTranslator({("قصف على إدلب", "en"): "Shelling on Idlib", ("معرة النعمان", "en"): "Maarat al-Numan"})
    chain = chain_of(libre, second, monotonic)
    service = TranslationService(storage, chain, clock, timeout=5)
    libre.fail_next(1, status=500)
    libre.fail_next(1, status=429)

    assert await service.translate("قصف على إدلب", "ar", "en") == "Shelling on Idlib"  # libre: 500
    assert await service.translate("معرة النعمان", "ar", "en") == "Maarat al-Numan"  # libre: 429

    assert len(libre.requests) == 2
    assert [call[0] for call in second.calls] == ["قصف على إدلب", "معرة النعمان"]
    assert chain.breaker("libre").is_open(monotonic())  # the 429 opened it at once
    assert chain.breaker("fake").allows(monotonic())
    assert await storage.get_translation("قصف على إدلب", "ar", "en") == "Shelling on Idlib"


async def test_an_open_provider_is_skipped_until_its_cool_down_is_over(
        monotonic: FakeMonotonic, libre: FakeLibreTranslate) -> None:
    second = FakeTranslator()
    metrics = RecordingMetrics()
    chain = chain_of(libre, second, monotonic, metrics)
    libre.fail_next(1, status=429)
    assert (await chain.translate("Idlib", "en", "ar")).provider == "fake"

    monotonic.now += 59
    assert (await chain.translate("Saraqib", "en", "ar")).provider == "fake"
    assert len(libre.requests) == 1  # skipped: nobody waited on a provider known to refuse

    monotonic.now += 2
    recovered = await chain.translate("Ariha", "en", "ar")
    assert recovered.provider == "libre" and recovered.text == "[ar] Ariha"
    assert chain.breaker("libre").allows(monotonic())
    assert [labels for name, labels in metrics.counts if name == TRANSLATOR_CALLS] == [
        {"provider": "libre", "result": "rate_limited"}, {"provider": "fake", "result": "ok"},
        {"provider": "libre", "result": "skipped"}, {"provider": "fake", "result": "ok"},
        {"provider": "libre", "result": "ok"},
    ]


async def test_plain_failures_open_the_breaker_after_the_configured_count(
        monotonic: FakeMonotonic, libre: FakeLibreTranslate) -> None:
    chain = chain_of(libre, FakeTranslator(), monotonic)
    libre.fail_next(2, status=500)
    await chain.translate("one", "en", "tr")
    assert chain.breaker("libre").allows(monotonic())
    await chain.translate("two", "en", "tr")
    assert chain.breaker("libre").is_open(monotonic())
    assert len(libre.requests) == 2


async def test_every_provider_failing_is_one_error_naming_each(
        storage: Storage, clock: FakeClock, monotonic: FakeMonotonic, libre: FakeLibreTranslate) -> None:
    chain = chain_of(libre, FakeTranslator(fail=True), monotonic)
    libre.fail_next(1, status=503)
    with pytest.raises(TranslationError, match=r"libre.*fake translator is down"):
        await chain.translate("Idlib", "en", "ru")
    libre.fail_next(1, status=503)
    assert await TranslationService(storage, chain, clock, timeout=5).translate("Idlib", "en", "ru") is None
    assert await storage.get_translation("Idlib", "en", "ru") is None


async def test_a_provider_that_hangs_loses_its_turn_to_the_next(monotonic: FakeMonotonic) -> None:
    slow, quick = FakeTranslator(delay=5), FakeTranslator({("Idlib", "tr"): "İdlib"})
    slow.name = "slow"
    chain = TranslatorChain([slow, quick], per_call_timeout=0.2, policy=POLICY, monotonic=monotonic)
    assert await chain.translate("Idlib", "en", "tr") == Translated("İdlib", "fake")
    assert chain.breaker("slow").failures == 1


async def test_an_empty_chain_never_translates(storage: Storage, clock: FakeClock) -> None:
    service = TranslationService(storage, TranslatorChain([]), clock, timeout=1)
    assert await service.translate("Idlib", "en", "ar") is None
