"""Translation with a database cache: each text is translated once per language pair, failures are reported.

The cache is shared by every provider of the chain (bot/services/translator_chain.py): a text translated
by LibreTranslate yesterday is not asked of Google today. Each cached row records the provider that made it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.errors import TranslationError
from bot.services.ports import MachineTranslator, TranslationMemory
from bot.services.translator_chain import TranslatorChain

log = logging.getLogger(__name__)


class TranslationService:
    """Translate through the cache; returns None when every provider fails or runs out of time.

    `translator` is a chain, or one provider (a chain of one). Each provider gets `timeout` seconds.
    """

    def __init__(self, cache: TranslationMemory, translator: TranslatorChain | MachineTranslator,
                 clock: Callable[[], datetime], timeout: float = 10.0) -> None:
        self.cache = cache
        self.chain = (translator if isinstance(translator, TranslatorChain)
                      else TranslatorChain([translator], per_call_timeout=timeout))
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
        names = ",".join(self.chain.names)
        try:
            async with asyncio.timeout(self.timeout * max(1, len(self.chain.names))):
                translated = await self.chain.translate(text, source, target)
        except (TranslationError, TimeoutError) as error:
            log.warning("translation %s->%s via %s failed: %s", source, target, names, error or "timeout")
            return None
        except Exception:  # a translator bug must never hold back an alert
            log.exception("translation %s->%s via %s crashed", source, target, names)
            return None
        await self.cache.put_translation(text, source, target, translated.text, translated.provider, self.clock())
        return translated.text

    async def translate_pair(self, title: str, summary: str, source: str,
                             target: str) -> tuple[str | None, str | None]:
        """Title and summary translated concurrently; the title decides success."""
        title_t, summary_t = await asyncio.gather(
            self.translate(title, source, target), self.translate(summary, source, target)
        )
        return title_t, summary_t
