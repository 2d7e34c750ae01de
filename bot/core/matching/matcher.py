"""The keyword matcher: one compiled index over every concept of every subscriber.

Each phrase of each concept is tokenised and folded once, and indexed by the base forms of its first
token. Matching an entry tokenises its text once, looks every form of every token up in that index,
and verifies the rest of each candidate phrase, so the cost per entry does not grow with the number
of subscribers or keywords. A concept then decides from its hits (bot.core.matching.evidence): a term
matches alone, an ambiguous phrase needs context and falls to vetoes unless the context outweighs them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.matching.evidence import Hit, Weighing, reason, weigh
from bot.core.matching.text import MIN_SOUND_KEY, Token, keyword_forms, sound_key, token_forms, tokenize
from bot.core.models import Concept, SubscriberKeyword

KINDS = ("terms", "ambiguous", "context", "strong_context", "vetoes", "strong_vetoes")
SOUND = "~"  # prefix of index keys that are consonant skeletons
MIN_PHRASE_SOUND_KEY = 5  # a several-word name is matched by sound only when its skeleton is this long


@dataclass(frozen=True)
class _Phrase:
    concept: int
    kind: str
    text: str
    forms: tuple[frozenset[str], ...]
    group: int = -1


@dataclass(frozen=True)
class ConceptMatch:
    """A concept that matched, the words of the original text that made it match, and why."""

    concept: Concept
    quotes: tuple[str, ...]
    reason: str


class Matcher:
    """Finds which of many concepts a text is about."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: list[Concept] = list(concepts)
        self._index: dict[str, list[_Phrase]] = defaultdict(list)
        for number, concept in enumerate(self.concepts):
            for kind in KINDS:
                for lang, phrases in getattr(concept, kind).items():
                    for phrase in phrases:
                        sound = concept.sound_alike and kind in ("terms", "ambiguous")
                        self._add(_Phrase(number, kind, phrase, _forms(phrase, lang, sound)))
            for group, veto in enumerate(concept.sentence_vetoes):
                for lang, phrases in veto.phrases.items():
                    for phrase in phrases:
                        self._add(_Phrase(number, "sentence_vetoes", phrase, _forms(phrase, lang, False), group))
        self._sound = any(key.startswith(SOUND) for key in self._index)

    def _add(self, entry: _Phrase) -> None:
        if not entry.forms:
            return
        for key in entry.forms[0]:
            if entry not in self._index[key]:
                self._index[key].append(entry)

    def hits(self, text: str, lang: str | None = None) -> dict[int, list[Hit]]:
        """Every phrase found in `text`, grouped by concept number."""
        tokens = tokenize(text)
        forms = token_forms(tokens, text, lang)
        if self._sound:
            forms = [f | {SOUND + sound_key(form) for form in f} for f in forms]
        found: dict[int, list[Hit]] = defaultdict(list)
        seen: set[tuple[int, str, int]] = set()
        for i, forms_of_token in enumerate(forms):
            for form in forms_of_token:
                for phrase in self._index.get(form, ()):
                    end = _phrase_end(phrase, tokens, forms, i)
                    if end is None or (phrase.concept, phrase.kind, i) in seen:
                        continue
                    seen.add((phrase.concept, phrase.kind, i))
                    start, stop = tokens[i].start, tokens[end].end
                    found[phrase.concept].append(
                        Hit(phrase.kind, phrase.text, text[start:stop], start, stop, tokens[i].sentence, phrase.group))
        return found

    def weighings(self, text: str, lang: str | None = None) -> list[tuple[Concept, Weighing]]:
        """Every concept a term or ambiguous phrase of which is in `text`, with how it was decided."""
        results = []
        for number, concept_hits in sorted(self.hits(text, lang).items()):
            weighing = weigh(self.concepts[number], concept_hits)
            if weighing is not None:
                results.append((self.concepts[number], weighing))
        return results

    def match(self, text: str, lang: str | None = None) -> list[ConceptMatch]:
        """The concepts `text` is about, in the order they were given."""
        return [ConceptMatch(concept, weighing.quotes, reason(weighing))
                for concept, weighing in self.weighings(text, lang) if weighing.matched]


def _forms(phrase: str, lang: str, sound_alike: bool) -> tuple[frozenset[str], ...]:
    """The index forms of each token of a phrase; with `sound_alike`, their consonant skeletons too."""
    tokens = tokenize(phrase)
    forms = [set(keyword_forms(token, lang)) for token in tokens]
    if sound_alike and tokens:
        keys = [{sound_key(form) for form in token_forms} for token_forms in forms]
        if len(tokens) == 1:
            forms[0] |= {SOUND + key for key in keys[0] if len(key) >= MIN_SOUND_KEY}
        elif all(keys) and sum(min(map(len, k)) for k in keys) >= MIN_PHRASE_SOUND_KEY \
                and all(min(map(len, k)) >= 2 for k in keys):
            forms = [f | {SOUND + key for key in k} for f, k in zip(forms, keys, strict=True)]
    return tuple(frozenset(f) for f in forms)


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
