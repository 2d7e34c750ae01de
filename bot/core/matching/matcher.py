"""The keyword matcher: one compiled index over every concept of every subscriber.

Each phrase of each concept is tokenised and folded once, and indexed by the base forms of its first
token. Matching an entry tokenises its text once, looks every form of every token up in that index,
and verifies the rest of each candidate phrase, so the cost per entry does not grow with the number
of subscribers or keywords. A concept then decides from its hits: a term matches alone, an ambiguous
phrase needs context and falls to a veto unless the context outweighs it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.matching.text import MIN_SOUND_KEY, Token, candidates, keyword_forms, sound_key, tokenize
from bot.core.models import Concept, SubscriberKeyword

KINDS = ("terms", "ambiguous", "context", "vetoes")
SOUND = "~"  # prefix of index keys that are consonant skeletons


@dataclass(frozen=True)
class _Phrase:
    concept: int
    kind: str
    text: str
    forms: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Hit:
    """One phrase of one concept found in the text."""

    kind: str
    phrase: str
    quote: str
    start: int


@dataclass(frozen=True)
class ConceptMatch:
    """A concept that matched, the words of the original text that made it match, and why."""

    concept: Concept
    quotes: tuple[str, ...]
    reason: str


def _decide(concept: Concept, hits: Sequence[Hit]) -> ConceptMatch | None:
    by_kind: dict[str, list[Hit]] = defaultdict(list)
    for hit in sorted(hits, key=lambda h: h.start):
        by_kind[hit.kind].append(hit)
    terms, ambiguous, context, vetoes = (by_kind[kind] for kind in KINDS)
    if not terms and not (ambiguous and context):
        return None
    veto_words = {h.phrase for h in vetoes}
    if veto_words and len({h.phrase for h in context}) <= len(veto_words):
        return None  # a look-alike subject, not outweighed by context
    quotes = _unique(h.quote for h in (terms or ambiguous))
    reason = f"matched {', '.join(map(repr, quotes))}"
    if not terms:
        reason += f" with context {', '.join(map(repr, _unique(h.quote for h in context)))}"
    return ConceptMatch(concept, quotes, reason)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Matcher:
    """Finds which of many concepts a text is about."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: list[Concept] = list(concepts)
        self._index: dict[str, list[_Phrase]] = defaultdict(list)
        for number, concept in enumerate(self.concepts):
            for kind in KINDS:
                for phrases in getattr(concept, kind).values():
                    for phrase in phrases:
                        self._add(number, kind, phrase, concept.sound_alike and kind in ("terms", "ambiguous"))
        self._sound = any(key.startswith(SOUND) for key in self._index)

    def _add(self, concept: int, kind: str, phrase: str, sound_alike: bool) -> None:
        tokens = tokenize(phrase)
        if not tokens:
            return
        entry = _Phrase(concept, kind, phrase, tuple(frozenset(keyword_forms(t)) for t in tokens))
        keys = set(entry.forms[0])
        if sound_alike and len(tokens) == 1:
            keys |= {SOUND + key for key in map(sound_key, entry.forms[0]) if len(key) >= MIN_SOUND_KEY}
        for key in keys:
            if entry not in self._index[key]:
                self._index[key].append(entry)

    def hits(self, text: str, lang: str | None = None) -> dict[int, list[Hit]]:
        """Every phrase found in `text`, grouped by concept number."""
        tokens = tokenize(text)
        forms = [candidates(token, lang) for token in tokens]
        if self._sound:
            forms = [f | {SOUND + sound_key(form) for form in f} for f in forms]
        found: dict[int, list[Hit]] = defaultdict(list)
        seen: set[tuple[int, str, int]] = set()
        for i, token_forms in enumerate(forms):
            for form in token_forms:
                for phrase in self._index.get(form, ()):
                    end = _phrase_end(phrase, tokens, forms, i)
                    if end is None or (phrase.concept, phrase.kind, i) in seen:
                        continue
                    seen.add((phrase.concept, phrase.kind, i))
                    quote = text[tokens[i].start : tokens[end].end]
                    found[phrase.concept].append(Hit(phrase.kind, phrase.text, quote, tokens[i].start))
        return found

    def match(self, text: str, lang: str | None = None) -> list[ConceptMatch]:
        """The concepts `text` is about, in the order they were given."""
        results = []
        for number, concept_hits in sorted(self.hits(text, lang).items()):
            decided = _decide(self.concepts[number], concept_hits)
            if decided:
                results.append(decided)
        return results


def _phrase_end(phrase: _Phrase, tokens: Sequence[Token], forms: Sequence[set[str]], start: int) -> int | None:
    last = start + len(phrase.forms) - 1
    if last >= len(tokens):
        return None
    for offset in range(1, len(phrase.forms)):
        position = start + offset
        if tokens[position].break_before or not (phrase.forms[offset] & forms[position]):
            return None
    return last


def entry_text(title: str, summary: str) -> str:
    """The text matched for an entry: title and summary, never joined into one phrase."""
    return f"{title}\n{summary}" if summary else title


def fingerprint(concept: Concept) -> str:
    """Identical concepts of different subscribers share one slot in the compiled matcher."""
    data = concept.to_dict()
    data.pop("label")
    data.pop("builtin")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


class SubscriptionMatcher:
    """Routes an entry to the subscribers whose keywords it matches, with one shared matcher."""

    def __init__(self, keywords: Iterable[SubscriberKeyword]) -> None:
        slots: dict[str, int] = {}
        concepts: list[Concept] = []
        self._chats: list[list[int]] = []
        for keyword in keywords:
            key = fingerprint(keyword.concept)
            if key not in slots:
                slots[key] = len(concepts)
                concepts.append(keyword.concept)
                self._chats.append([])
            self._chats[slots[key]].append(keyword.chat_id)
        self.matcher = Matcher(concepts)
        self._slot = {id(concept): number for number, concept in enumerate(concepts)}

    def route(self, title: str, summary: str, lang: str | None) -> dict[int, list[ConceptMatch]]:
        """Chat id -> the concepts of that chat the entry matched."""
        routed: dict[int, list[ConceptMatch]] = defaultdict(list)
        for concept_match in self.matcher.match(entry_text(title, summary), lang):
            for chat_id in self._chats[self._slot[id(concept_match.concept)]]:
                routed[chat_id].append(concept_match)
        return dict(routed)
