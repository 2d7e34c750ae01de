"""Subscribing, unsubscribing, languages and keywords: the use cases behind the chat commands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.interface.i18n import INTERFACE_LANGUAGES, N_
from bot.core.interface.latest import LatestItem, pick_latest
from bot.core.matching.keywords import (
    SOURCE_PLACE,
    SOURCE_TOPIC,
    SOURCE_TRANSLATOR,
    build_user_concept,
    clean_term,
    parse_add,
    term_language,
    user_concept_key,
)
from bot.core.matching.matcher import Matcher
from bot.core.matching.places import Gazetteer
from bot.core.matching.topics import TOPIC_KEY_PREFIX, TopicLexicon
from bot.core.models import LANGUAGES, Concept, Subscriber
from bot.errors import KeywordLimitReached, UserError
from bot.services.ports import SubscriptionStorage
from bot.services.translation import TranslationService

SubscriptionError = UserError
"""The refusals of the subscriber use cases: the one error vocabulary of bot.errors (a key and its params)."""


LATEST_SCAN_LIMIT = 2000
"""How many recent entries /latest matches at most (the newest ones)."""


@dataclass(frozen=True)
class AddResult:
    """The keyword as stored, the languages the translator could not provide, and where its spellings came
    from: a topic of the lexicon, a place of the gazetteer (`followed` names it), or the translator."""

    concept: Concept
    untranslated: tuple[str, ...]
    ambiguity: str = ""
    source: str = SOURCE_TRANSLATOR
    followed: str = ""


class SubscriptionService:
    """What a subscriber can ask for."""

    def __init__(self, store: SubscriptionStorage, translation: TranslationService, defaults: Sequence[Concept],
                 clock: Callable[[], datetime], *, max_keywords: int = 50,
                 gazetteer: Gazetteer | None = None, latest_window: timedelta = timedelta(hours=72),
                 latest_count: int = 5, lexicon: TopicLexicon | None = None) -> None:
        self.store = store
        self.translation = translation
        self.defaults = list(defaults)
        self.clock = clock
        self.max_keywords = max_keywords
        self.gazetteer = gazetteer or Gazetteer([])
        self.lexicon = lexicon or TopicLexicon([])
        self.latest_window = latest_window
        self.latest_count = latest_count

    async def start(self, chat_id: int, language: str, chat_type: str = "private", title: str | None = None) -> bool:
        """Subscribe with the default keywords; False if already subscribed. `chat_type`: private, group or
        supergroup, with its `title` (channels are connected through bot.services.chats)."""
        return await self.store.subscribe(chat_id, language, self.defaults, self.clock(), chat_type=chat_type,
                                          title=title)

    async def stop(self, chat_id: int) -> bool:
        """Unsubscribe; pending alerts are cancelled so a later /start brings no backlog."""
        return await self.store.unsubscribe(chat_id, self.clock())

    async def set_language(self, chat_id: int, language: str) -> None:
        """Change the language alerts are translated into."""
        await self._require_active(chat_id)
        await self.store.set_language(chat_id, language, self.clock())

    async def status(self, chat_id: int) -> tuple[Subscriber, list[Concept], int] | None:
        """The active subscriber, their keywords and how many alerts wait to be sent; None if not subscribed."""
        subscriber = await self.subscriber(chat_id)
        if subscriber is None:
            return None
        return subscriber, await self.store.keywords(chat_id), await self.store.pending_count(chat_id)

    async def keywords(self, chat_id: int) -> list[Concept]:
        """The subscriber's keywords, oldest first."""
        return await self.store.keywords(chat_id)

    async def add(self, chat_id: int, raw_term: str) -> AddResult:
        """Store a keyword with its spellings in the four languages, whatever language it was typed in.

        The term is looked up in the topic lexicon first, then in the gazetteer; other terms go through the
        translator (and get spellings derived in the other scripts). `raw_term` may carry extra spellings,
        context and exclusions (see bot.core.matching.keywords.parse_add).
        """
        await self._require_active(chat_id)
        request = parse_add(raw_term)
        term = request.term
        existing = await self.store.keywords(chat_id)
        topic = self.lexicon.lookup(term)
        key = TOPIC_KEY_PREFIX + topic.key if topic else user_concept_key(term)
        if any(c.key == key or c.label.casefold() == term.casefold() for c in existing):
            raise UserError(N_("you already follow “{term}”"), term=topic.label if topic else term)
        if len(existing) >= self.max_keywords:
            raise UserError(N_("you already follow the most keywords allowed ({count}); remove one with "
                                       "/remove first"), count=len(existing))
        place = None if topic else next(filter(None, map(self.gazetteer.lookup, (term, *request.variants))), None)
        lang = term_language(term)
        known = topic.words if topic else place.names if place else {}
        others = [other for other in LANGUAGES if other != lang and other not in known]
        results = await asyncio.gather(*(self.translation.translate(term, lang, other) for other in others))
        translations = {other: text for other, text in zip(others, results, strict=True) if text}
        concept = build_user_concept(request, translations, place, topic)
        try:
            added = await self.store.add_keyword(chat_id, concept, self.clock(), limit=self.max_keywords)
        except KeywordLimitReached as full:  # another /add got there while this one was translating
            raise UserError(N_("you already follow the most keywords allowed ({count}); remove one with "
                               "/remove first"), count=full.count) from None
        if not added:
            raise UserError(N_("you already follow “{term}”"), term=concept.label)
        source, followed = (SOURCE_TOPIC, topic.label) if topic else (SOURCE_PLACE, place.label) if place else \
            (SOURCE_TRANSLATOR, "")
        return AddResult(concept, tuple(o for o in others if o not in translations),
                         place.ambiguous if place else "", source, followed)

    async def remove(self, chat_id: int, raw_term: str) -> Concept:
        """Remove a keyword by its label or spelling."""
        await self._require_active(chat_id)
        term = clean_term(raw_term)
        removed = await self.store.remove_keyword(chat_id, term)
        if removed is None:
            removed = await self.store.remove_keyword(chat_id, user_concept_key(term))
        topic = self.lexicon.lookup(term) if removed is None else None
        if topic is not None:
            removed = await self.store.remove_keyword(chat_id, TOPIC_KEY_PREFIX + topic.key)
        if removed is None:
            raise UserError(N_("you do not follow “{term}”; /keywords lists what you follow"), term=term)
        return removed

    async def subscriber(self, chat_id: int) -> Subscriber | None:
        """The chat's subscription if it is active, else None."""
        subscriber = await self.store.get_subscriber(chat_id)
        return subscriber if subscriber is not None and subscriber.active else None

    async def interface_language(self, chat_id: int) -> str | None:
        """The interface language the chat chose, None if it did not (or never subscribed)."""
        subscriber = await self.store.get_subscriber(chat_id)
        return subscriber.interface_language if subscriber else None

    async def set_interface_language(self, chat_id: int, language: str) -> None:
        """Change the language the bot talks to the chat in."""
        if language not in INTERFACE_LANGUAGES:
            raise UserError(N_("unknown language “{code}”"), code=language)
        await self._require_active(chat_id)
        await self.store.set_interface_language(chat_id, language, self.clock())

    async def keywords_with_ids(self, chat_id: int) -> list[tuple[int, Concept]]:
        """The subscriber's keywords with the ids their remove buttons carry."""
        return await self.store.keywords_with_ids(chat_id)

    async def remove_by_id(self, chat_id: int, keyword_id: int) -> Concept:
        """Remove a keyword by the id on its button; only the chat's own keywords can go."""
        removed = await self.store.remove_keyword_by_id(chat_id, keyword_id)
        if removed is None:
            raise UserError(N_("that keyword is not in your list any more"))
        return removed

    async def latest(self, chat_id: int) -> list[LatestItem]:
        """The newest items of the last `latest_window` that match the subscriber's keywords, newest first."""
        await self._require_active(chat_id)
        concepts = await self.store.keywords(chat_id)
        if not concepts:
            return []
        now = self.clock()
        entries = await self.store.recent_entries(now - self.latest_window, limit=LATEST_SCAN_LIMIT)
        # matching thousands of entries takes a good fraction of a second: keep the event loop free
        return await asyncio.to_thread(lambda: pick_latest(entries, Matcher(concepts), now, self.latest_count))

    async def _require_active(self, chat_id: int) -> None:
        if await self.subscriber(chat_id) is None:
            raise UserError(N_("you are not subscribed: send /start first"))
