"""A recording fake of a self-hosted LibreTranslate server.

``POST /translate`` accepts its parameters (``q``, ``source``, ``target``, ``format``, ``api_key``) as
JSON, as a form, or in the query string (deep-translator's ``LibreTranslator`` sends
``requests.post(base_url + "translate", params=...)``) and answers
``{"translatedText": f"[{target}] {q}"}`` deterministically, unless ``known[(source, target, q)]``
gives an exact translation (a ``known`` entry also answers requests whose source is ``auto`` or any
other language, keyed by target and text). ``q`` may be a list (LibreTranslate batch mode).
``GET /languages`` lists ar, tr, ru, en; ``POST /detect`` guesses by script.

Recorded: ``requests`` (the decoded parameters of every /translate call, api_key included).
Failure injection: ``fail_next(times, status)``; slowness: ``delay`` seconds before answering.
Paths with doubled slashes (``//translate``) are served too.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp import web

from fakes._server import LoopbackServer

LANGUAGES = [
    {"code": "ar", "name": "Arabic", "targets": ["ar", "en", "ru", "tr"]},
    {"code": "en", "name": "English", "targets": ["ar", "en", "ru", "tr"]},
    {"code": "ru", "name": "Russian", "targets": ["ar", "en", "ru", "tr"]},
    {"code": "tr", "name": "Turkish", "targets": ["ar", "en", "ru", "tr"]},
]


def fake_translation(text: str, target: str) -> str:
    """The deterministic translation the fake returns for ``text`` into ``target``."""
    return f"[{target}] {text}"


class FakeLibreTranslate(LoopbackServer):
    """``url`` is what ``LIBRETRANSLATE_URL`` should be (no trailing slash)."""

    def __init__(
        self,
        known: dict[tuple[str, str, str], str] | None = None,
        *,
        api_key: str | None = None,
    ) -> None:
        """``api_key``: when set, requests with another key get 403 like a locked-down server."""
        super().__init__()
        self.known: dict[tuple[str, str, str], str] = dict(known or {})
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self.delay: float = 0.0
        self._failures: list[int] = []

    @property
    def url(self) -> str:
        return self.base_url

    def fail_next(self, times: int = 1, status: int = 500) -> None:
        """Answer the next ``times`` /translate calls with ``status``."""
        self._failures.extend([status] * times)

    def translate(self, q: str, source: str, target: str) -> str:
        """The answer the server gives for one text (exposed so tests can build expectations)."""
        exact = self.known.get((source, target, q))
        if exact is not None:
            return exact
        for (_src, tgt, text), value in self.known.items():
            if tgt == target and text == q:
                return value
        return fake_translation(q, target)

    def texts_translated(self, target: str | None = None) -> list[str]:
        """Every ``q`` asked for (flattened), optionally only into ``target``."""
        out: list[str] = []
        for params in self.requests:
            if target is not None and params.get("target") != target:
                continue
            q = params.get("q")
            out.extend(q if isinstance(q, list) else [str(q)])
        return out

    # -- server ----------------------------------------------------------------------------------
    def _setup(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._handle)

    async def _handle(self, request: web.Request) -> web.Response:
        endpoint = re.sub(r"/+", "/", request.path).strip("/")
        if endpoint == "languages":
            return web.json_response(LANGUAGES)
        params = await _read_params(request)
        if endpoint == "detect":
            return web.json_response([{"confidence": 90.0, "language": _guess(str(params.get("q", "")))}])
        if endpoint != "translate":
            return web.json_response({"error": "Not Found"}, status=404)
        if request.method != "POST":
            return web.json_response({"error": "Method Not Allowed"}, status=405)
        self.requests.append(params)
        await self._notify()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._failures:
            status = self._failures.pop(0)
            return web.json_response({"error": f"injected failure {status}"}, status=status)
        if self.api_key is not None and params.get("api_key") != self.api_key:
            return web.json_response({"error": "Invalid API key"}, status=403)
        q = params.get("q")
        source = str(params.get("source") or "auto")
        target = str(params.get("target") or "")
        if q is None or not target:
            return web.json_response({"error": "Invalid request: missing q or target"}, status=400)
        if isinstance(q, list):
            return web.json_response({"translatedText": [self.translate(str(x), source, target) for x in q]})
        body: dict[str, Any] = {"translatedText": self.translate(str(q), source, target)}
        if source == "auto":
            body["detectedLanguage"] = {"confidence": 90.0, "language": _guess(str(q))}
        return web.json_response(body)


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        else:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
            qs = form.getall("q", [])
            if len(qs) > 1:
                params["q"] = [str(x) for x in qs]
    return params


def _guess(text: str) -> str:
    if re.search(r"[\u0600-\u06ff]", text):
        return "ar"
    if re.search(r"[\u0400-\u04ff]", text):
        return "ru"
    if re.search(r"[çğıöşüİÇĞÖŞÜ]", text):
        return "tr"
    return "en"
