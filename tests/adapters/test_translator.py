"""Tests for bot.adapters.translation.translator against a fake LibreTranslate server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from aiohttp import web

from bot.adapters.translation import translator as translator_module
from bot.adapters.translation.translator import (
    DeepTranslator,
    NoTranslator,
    make_translator,
    normalise_libre_url,
)
from bot.errors import TranslationError
from bot.services.ports import MachineTranslator


@dataclass
class FakeLibre:
    """A minimal LibreTranslate: POST /translate with query or form parameters."""

    url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    delay: float = 0.0
    status: int = 200
    reply: Any = None


@pytest.fixture
async def fake_libre() -> AsyncIterator[FakeLibre]:
    fake = FakeLibre()

    async def translate(request: web.Request) -> web.StreamResponse:
        params = dict(request.query)
        params.update({k: str(v) for k, v in (await request.post()).items()})
        params["path"] = request.path
        fake.requests.append(params)
        if fake.delay:
            await asyncio.sleep(fake.delay)
        if fake.status != 200:
            return web.json_response({"error": "nope"}, status=fake.status)
        if fake.reply is not None:
            return web.json_response(fake.reply)
        text = f"[{params['source']}->{params['target']}] {params['q']}"
        return web.json_response({"translatedText": text})

    app = web.Application()
    app.router.add_post("/translate", translate)
    app.router.add_post("/lt/translate", translate)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()


async def test_libre_honours_url_and_sends_parameters(fake_libre: FakeLibre) -> None:
    tr = make_translator("libre", libre_url=fake_libre.url, libre_api_key="secret-key", timeout=5)
    assert isinstance(tr, MachineTranslator) and tr.name == "libre"
    result = await tr.translate("قصف على إدلب", "ar", "en")
    assert result == "[ar->en] قصف على إدلب"
    (request,) = fake_libre.requests
    assert request["path"] == "/translate"
    assert (request["q"], request["source"], request["target"]) == ("قصف على إدلب", "ar", "en")
    assert request["api_key"] == "secret-key"


async def test_libre_without_key_sends_no_api_key(fake_libre: FakeLibre) -> None:
    tr = make_translator("libre", libre_url=fake_libre.url + "/lt/", timeout=5)
    assert await tr.translate("Обстрел", "ru", "tr") == "[ru->tr] Обстрел"
    (request,) = fake_libre.requests
    assert request["path"] == "/lt/translate"
    assert "api_key" not in request


async def test_libre_timeout(fake_libre: FakeLibre) -> None:
    fake_libre.delay = 3.0
    tr = make_translator("libre", libre_url=fake_libre.url, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(TranslationError, match="timed out"):
        await tr.translate("hello", "en", "ar")
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("status", [400, 403, 429, 500])
async def test_libre_http_errors(fake_libre: FakeLibre, status: int) -> None:
    fake_libre.status = status
    tr = make_translator("libre", libre_url=fake_libre.url, libre_api_key="k", timeout=5)
    with pytest.raises(TranslationError):
        await tr.translate("hello", "en", "ar")


@pytest.mark.parametrize("reply", [{}, {"translatedText": ""}, {"other": 1}, []])
async def test_libre_bad_replies(fake_libre: FakeLibre, reply: Any) -> None:
    fake_libre.reply = reply
    tr = make_translator("libre", libre_url=fake_libre.url, timeout=5)
    with pytest.raises(TranslationError):
        await tr.translate("hello", "en", "ar")


async def test_connection_refused_is_translation_error() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    tr = make_translator("libre", libre_url=f"http://127.0.0.1:{port}", timeout=5)
    with pytest.raises(TranslationError):
        await tr.translate("hello", "en", "ar")


async def test_same_language_and_empty_text_are_not_sent(fake_libre: FakeLibre) -> None:
    tr = make_translator("libre", libre_url=fake_libre.url, timeout=5)
    assert await tr.translate("hello", "en", "en") == "hello"
    assert await tr.translate("  ", "en", "ar") == "  "
    assert fake_libre.requests == []


async def test_unsupported_language_is_translation_error() -> None:
    tr = make_translator("google", timeout=1)
    with pytest.raises(TranslationError, match="unsupported"):
        await tr.translate("hello", "en", "fr")


async def test_no_translator_raises() -> None:
    tr = make_translator("none")
    assert isinstance(tr, NoTranslator) and tr.name == "none"
    with pytest.raises(TranslationError, match="disabled"):
        await tr.translate("hello", "en", "ar")


def test_make_translator_names() -> None:
    assert make_translator(" Google ").name == "google"
    assert make_translator("mymemory").name == "mymemory"
    with pytest.raises(ValueError, match="unknown translator"):
        make_translator("deepl")
    with pytest.raises(ValueError, match="LIBRETRANSLATE_URL"):
        make_translator("libre")
    with pytest.raises(ValueError, match="http"):
        make_translator("libre", libre_url="ftp://lt.example")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000/"),
        ("https://lt.example/", "https://lt.example/"),
        ("https://lt.example/libre", "https://lt.example/libre/"),
        ("https://lt.example/translate", "https://lt.example/"),
        ("https://lt.example/api/translate/", "https://lt.example/api/"),
    ],
)
def test_normalise_libre_url(url: str, expected: str) -> None:
    assert normalise_libre_url(url) == expected


class _FakeEngine:
    """Stands in for a deep-translator engine; records how it was built and called."""

    built: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, source: str, target: str, behaviour: Callable[[str], Any]) -> None:
        _FakeEngine.built.append((source, target))
        self._behaviour = behaviour

    def translate(self, text: str) -> Any:
        return self._behaviour(text)


def _with_engine(provider: str, behaviour: Callable[[str], Any], **kwargs: Any) -> DeepTranslator:
    tr = DeepTranslator(provider, **kwargs)
    real = tr._engine

    def engine(source: str, target: str) -> Any:
        built = real(source, target)  # construction does no network I/O
        return _FakeEngine(built.source, built.target, behaviour)

    tr._engine = engine  # type: ignore[method-assign]
    return tr


async def test_mymemory_uses_locale_codes_and_clips_text() -> None:
    _FakeEngine.built.clear()
    seen: list[str] = []
    tr = _with_engine("mymemory", lambda text: seen.append(text) or "ok", timeout=2)
    assert await tr.translate("x " * 400, "ar", "en") == "ok"
    assert _FakeEngine.built == [("ar-SA", "en-GB")]
    assert len(seen[0]) < 500
    await tr.translate("a", "tr", "ru")
    assert _FakeEngine.built[-1] == ("tr-TR", "ru-RU")


async def test_google_uses_plain_codes() -> None:
    _FakeEngine.built.clear()
    tr = _with_engine("google", lambda text: "  translated  ", timeout=2)
    assert await tr.translate("hello", "en", "ar") == "translated"
    assert _FakeEngine.built == [("en", "ar")]


@pytest.mark.parametrize("behaviour", [lambda t: None, lambda t: 1 / 0, lambda t: ["a", "b"]])
async def test_engine_failures_map_to_translation_error(behaviour: Callable[[str], Any]) -> None:
    tr = _with_engine("google", behaviour, timeout=2)
    with pytest.raises(TranslationError):
        await tr.translate("hello", "en", "ar")


async def test_hung_threads_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translator_module, "MAX_IN_FLIGHT", 2)
    gate = threading.Event()
    tr = _with_engine("google", lambda t: gate.wait(5) and "late", timeout=0.05)
    for _ in range(2):
        with pytest.raises(TranslationError, match="timed out"):
            await tr.translate("hello", "en", "ar")
    with pytest.raises(TranslationError, match="pending"):
        await tr.translate("hello", "en", "ar")
    gate.set()
    for _ in range(100):
        if tr._in_flight == 0:
            break
        await asyncio.sleep(0.01)
    assert tr._in_flight == 0
    assert await asyncio.wait_for(tr.translate("hello", "en", "ar"), 2) == "late"


@pytest.mark.parametrize(("status", "rate_limited"), [(429, True), (500, False), (503, False)])
async def test_a_429_is_marked_rate_limited(fake_libre: FakeLibre, status: int, rate_limited: bool) -> None:
    fake_libre.status = status
    tr = make_translator("libre", libre_url=fake_libre.url, timeout=5)
    with pytest.raises(TranslationError) as raised:
        await tr.translate("hello", "en", "ar")
    assert raised.value.rate_limited is rate_limited


def test_mymemory_email_is_passed_to_the_provider() -> None:
    tr = make_translator("mymemory", mymemory_email="ops@ngo.example")
    assert isinstance(tr, DeepTranslator)
    engine = tr._engine("ar", "en")  # construction does no I/O
    assert engine.email == "ops@ngo.example"
    assert DeepTranslator("mymemory")._engine("ar", "en").email is None
