"""Translation with a database cache: each text is translated once per language pair, failures are reported."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.errors import TranslationError
from bot.services.ports import MachineTranslator, TranslationMemory

log = logging.getLogger(__name__)


class TranslationService:
    """Translate through the cache; returns None when the translator fails or runs out of time."""

    def __init__(self, cache: TranslationMemory, translator: MachineTranslator, clock: Callable[[], datetime],
                 timeout: float = 10.0) -> None:
        self.cache = cache
        self.translator = translator
        self.clock = clock
        self.timeout = timeout

    async def translate(self, text: str, source: str, target: str) -> str | None:
        """`text` in `target`, or None if it cannot be had within the deadline."""
        text = text.strip()
        if not text or source == target:
            return text
        cached = await self.cache.get_translation(text, source, target)
        if cached is not None:
            return cached
        try:
            async with asyncio.timeout(self.timeout):
                translated = await self.translator.translate(text, source, target)
        except (TranslationError, TimeoutError) as error:
            log.warning("translation %s->%s via %s failed: %s", source, target, self.translator.name,
                        error or "timeout")
            return None
        except Exception:  # a translator bug must never hold back an alert
            log.exception("translation %s->%s via %s crashed", source, target, self.translator.name)
            return None
        translated = (translated or "").strip()
        if not translated:
            return None
        await self.cache.put_translation(text, source, target, translated, self.translator.name, self.clock())
        return translated

    async def translate_pair(self, title: str, summary: str, source: str,
                             target: str) -> tuple[str | None, str | None]:
        """Title and summary translated concurrently; the title decides success."""
        title_t, summary_t = await asyncio.gather(
            self.translate(title, source, target), self.translate(summary, source, target)
        )
        return title_t, summary_t
