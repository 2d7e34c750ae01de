"""Translation behind a small interface: deep-translator providers, run in a thread with a deadline.

deep-translator is synchronous and uses `requests` without any timeout, so every call runs in a
worker thread and the caller waits at most `timeout` seconds; any failure or timeout becomes
`TranslationError`, and the alert goes out untranslated. The worker threads are daemon threads
(not `asyncio.to_thread`): a request that hangs forever is abandoned rather than blocking the
event loop's executor shutdown or interpreter exit, and at most `MAX_IN_FLIGHT` such threads may
exist per translator, so a dead provider cannot pile up threads.

Provider details (deep-translator 1.11):
- GoogleTranslator and LibreTranslator take ISO 639-1 codes; MyMemoryTranslator needs locale codes
  ("ar-SA", "tr-TR", "ru-RU", "en-GB") and rejects texts of 500 characters or more; Google rejects
  5000 or more. Longer texts are clipped.
- LibreTranslator POSTs to ``base_url + "translate"`` (plain concatenation, so the base URL must end
  in "/") with q/source/target/format/api_key as query parameters, and does no I/O at
  construction. It refuses to construct without an API key, so for a keyless self-hosted server a
  placeholder is passed and then removed, so that no api_key parameter is sent.
- MyMemoryTranslator sends `email` as the "de" parameter, which raises the free daily quota.
- A 429 arrives as TooManyRequests (Google, MyMemory) or as ServerException(429) (Libre), whose message
  is "ERR_TOO_MANY_REQUESTS"; both become a TranslationError with `rate_limited` set, which opens
  the provider's circuit breaker at once (bot/core/translation/breaker.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.core.models import LANGUAGES
from bot.errors import TranslationError

__all__ = ["PROVIDERS", "DeepTranslator", "NoTranslator", "make_translator"]

PROVIDERS: tuple[str, ...] = ("google", "mymemory", "libre", "none")
MAX_IN_FLIGHT = 8

_MYMEMORY_CODES = {"ar": "ar-SA", "tr": "tr-TR", "ru": "ru-RU", "en": "en-GB"}
_MAX_CHARS = {"google": 4999, "mymemory": 499, "libre": 10_000}


class NoTranslator:
    """The "none" provider: translation is switched off, so every call fails the same way."""

    name = "none"

    async def translate(self, text: str, source: str, target: str) -> str:
        """Always raise TranslationError, so callers show "translation unavailable" uniformly."""
        raise TranslationError("translation disabled")


def normalise_libre_url(url: str) -> str:
    """Return the LibreTranslate base URL deep-translator expects: http(s), ending in "/".

    A URL that already names the endpoint ("https://lt.example/translate") is reduced to its base.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"LIBRETRANSLATE_URL must be an http(s) URL, got {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/translate") or path == "translate":
        path = path[: -len("translate")].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


class DeepTranslator:
    """A deep-translator provider ("google", "mymemory" or "libre") with a per-call deadline."""

    def __init__(
        self,
        provider: str,
        *,
        timeout: float = 10.0,
        libre_url: str | None = None,
        libre_api_key: str | None = None,
        mymemory_email: str | None = None,
    ) -> None:
        if provider not in ("google", "mymemory", "libre"):
            raise ValueError(f"unknown translation provider {provider!r}")
        if provider == "libre":
            if not libre_url:
                raise ValueError("the libre translator needs LIBRETRANSLATE_URL")
            libre_url = normalise_libre_url(libre_url)
        self.name = provider
        self.timeout = timeout
        self.libre_url = libre_url
        self._libre_api_key = libre_api_key or None
        self._mymemory_email = mymemory_email or None
        self._in_flight = 0
        self._lock = threading.Lock()

    def _engine(self, source: str, target: str) -> Any:
        # A new engine per call: deep-translator engines keep per-request state and are not
        # safe to share between threads. Construction does no network I/O.
        if self.name == "google":
            from deep_translator import GoogleTranslator

            return GoogleTranslator(source=source, target=target)
        if self.name == "mymemory":
            from deep_translator import MyMemoryTranslator

            return MyMemoryTranslator(source=_MYMEMORY_CODES[source], target=_MYMEMORY_CODES[target],
                                      email=self._mymemory_email)
        from deep_translator import LibreTranslator

        engine = LibreTranslator(
            source=source, target=target, api_key=self._libre_api_key or "unused", custom_url=self.libre_url
        )
        engine.api_key = self._libre_api_key  # None: no api_key parameter is sent
        return engine

    def _translate_sync(self, text: str, source: str, target: str) -> str:
        result = self._engine(source, target).translate(_clip(text, _MAX_CHARS[self.name]))
        if not isinstance(result, str) or not result.strip():
            raise TranslationError(f"{self.name}: empty translation")
        return result.strip()

    async def translate(self, text: str, source: str, target: str) -> str:
        """Translate within `timeout` seconds; raise TranslationError on any failure or timeout."""
        if source not in LANGUAGES or target not in LANGUAGES:
            raise TranslationError(f"{self.name}: unsupported language pair {source!r} -> {target!r}")
        if not text.strip() or source == target:
            return text
        try:
            return await asyncio.wait_for(
                self._in_thread(lambda: self._translate_sync(text, source, target)), self.timeout
            )
        except TranslationError:
            raise
        except TimeoutError as exc:
            raise TranslationError(f"{self.name}: timed out after {self.timeout:g}s") from exc
        except Exception as exc:
            raise TranslationError(f"{self.name}: {type(exc).__name__}: {exc}"[:500],
                                   rate_limited=_is_rate_limit(exc)) from exc

    async def _in_thread(self, call: Callable[[], str]) -> str:
        """Run `call` in a daemon thread; an abandoned (timed-out) thread never blocks shutdown."""
        with self._lock:
            if self._in_flight >= MAX_IN_FLIGHT:
                raise TranslationError(f"{self.name}: too many translations still pending")
            self._in_flight += 1
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()

        def settle(result: str | None, error: BaseException | None) -> None:
            if future.done():  # cancelled by the deadline
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result or "")

        def run() -> None:
            result: str | None = None
            error: BaseException | None = None
            try:
                result = call()
            except BaseException as exc:
                error = exc
            finally:
                with self._lock:
                    self._in_flight -= 1
            # RuntimeError: the event loop is gone, so nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle, result, error)

        threading.Thread(target=run, name=f"translate-{self.name}", daemon=True).start()
        return await future


def _is_rate_limit(error: Exception) -> bool:
    """Whether deep-translator's exception means the provider answered 429."""
    from deep_translator.exceptions import ServerException, TooManyRequests

    return isinstance(error, TooManyRequests) or (
        isinstance(error, ServerException) and "TOO_MANY_REQUESTS" in str(error))


def make_translator(
    name: str,
    *,
    libre_url: str | None = None,
    libre_api_key: str | None = None,
    mymemory_email: str | None = None,
    timeout: float = 10.0,
) -> DeepTranslator | NoTranslator:
    """Build one provider named in the TRANSLATOR setting; ValueError for an unknown name."""
    key = name.strip().lower()
    if key == "none":
        return NoTranslator()
    if key in ("google", "mymemory", "libre"):
        return DeepTranslator(key, timeout=timeout, libre_url=libre_url, libre_api_key=libre_api_key,
                              mymemory_email=mymemory_email)
    raise ValueError(f"unknown translator {name!r}; expected one of {', '.join(PROVIDERS)}")
