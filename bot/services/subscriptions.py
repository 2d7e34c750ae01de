"""Subscribing, unsubscribing, languages and keywords: the use cases behind the chat commands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.keywords import build_user_concept, clean_term, parse_add, term_language, user_concept_key
from bot.core.models import LANGUAGES, Concept, Subscriber
from bot.core.places import Gazetteer
from bot.services.ports import SubscriberStore
from bot.services.translation import TranslationService


class SubscriptionError(ValueError):
    """A request a user made that cannot be done; the message is shown to them."""


@dataclass(frozen=True)
class AddResult:
    """The keyword as stored, and the languages the translator could not provide."""

    concept: Concept
    untranslated: tuple[str, ...]
    ambiguity: str = ""


class SubscriptionService:
    """What a subscriber can ask for."""

    def __init__(self, store: SubscriberStore, translation: TranslationService, defaults: Sequence[Concept],
                 clock: Callable[[], datetime], *, max_keywords: int = 50,
                 gazetteer: Gazetteer | None = None) -> None:
        self.store = store
        self.translation = translation
        self.defaults = list(defaults)
        self.clock = clock
        self.max_keywords = max_keywords
        self.gazetteer = gazetteer or Gazetteer([])

    async def start(self, chat_id: int, language: str) -> bool:
        """Subscribe with the default keywords; False if already subscribed."""
        return await self.store.subscribe(chat_id, language, self.defaults, self.clock())

    async def stop(self, chat_id: int) -> bool:
        """Unsubscribe; pending alerts are cancelled so a later /start brings no backlog."""
        return await self.store.unsubscribe(chat_id, self.clock())

    async def set_language(self, chat_id: int, language: str) -> None:
        """Change the language alerts are translated into."""
        await self._require_active(chat_id)
        await self.store.set_language(chat_id, language, self.clock())

    async def status(self, chat_id: int) -> tuple[Subscriber, list[Concept], int] | None:
        """The active subscriber, their keywords and how many alerts wait to be sent; None if not subscribed."""
        subscriber = await self.store.get_subscriber(chat_id)
        if subscriber is None or not subscriber.active:
            return None
        return subscriber, await self.store.keywords(chat_id), await self.store.pending_count(chat_id)

    async def keywords(self, chat_id: int) -> list[Concept]:
        """The subscriber's keywords, oldest first."""
        return await self.store.keywords(chat_id)

    async def add(self, chat_id: int, raw_term: str) -> AddResult:
        """Store a keyword with its spellings in the four languages, whatever language it was typed in.

        Known places take their spellings from the gazetteer; other terms go through the translator.
        `raw_term` may carry extra spellings, context and exclusions (see bot.core.keywords.parse_add).
        """
        await self._require_active(chat_id)
        try:
            request = parse_add(raw_term)
        except ValueError as error:
            raise SubscriptionError(str(error)) from None
        term = request.term
        existing = await self.store.keywords(chat_id)
        key = user_concept_key(term)
        if any(c.key == key or c.label.casefold() == term.casefold() for c in existing):
            raise SubscriptionError(f"you already follow “{term}”")
        if len(existing) >= self.max_keywords:
            raise SubscriptionError(f"you already follow {len(existing)} keywords, the most allowed; "
                                    "remove one with /remove first")
        place = next(filter(None, map(self.gazetteer.lookup, (term, *request.variants))), None)
        lang = term_language(term)
        others = [other for other in LANGUAGES if other != lang and (place is None or other not in place.names)]
        results = await asyncio.gather(*(self.translation.translate(term, lang, other) for other in others))
        translations = {other: text for other, text in zip(others, results, strict=True) if text}
        concept = build_user_concept(request, translations, place)
        if not await self.store.add_keyword(chat_id, concept, self.clock()):
            raise SubscriptionError(f"you already follow “{term}”")
        return AddResult(concept, tuple(o for o in others if o not in translations),
                         place.ambiguous if place else "")

    async def remove(self, chat_id: int, raw_term: str) -> Concept:
        """Remove a keyword by its label or spelling."""
        await self._require_active(chat_id)
        try:
            term = clean_term(raw_term)
        except ValueError as error:
            raise SubscriptionError(str(error)) from None
        removed = await self.store.remove_keyword(chat_id, term)
        if removed is None:
            removed = await self.store.remove_keyword(chat_id, user_concept_key(term))
        if removed is None:
            raise SubscriptionError(f"you do not follow “{term}”; /keywords lists what you follow")
        return removed

    async def _require_active(self, chat_id: int) -> None:
        subscriber = await self.store.get_subscriber(chat_id)
        if subscriber is None or not subscriber.active:
            raise SubscriptionError("you are not subscribed: send /start first")
