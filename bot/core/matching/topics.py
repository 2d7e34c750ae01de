"""The topic lexicon: subjects a monitor follows (shelling, landmines, bakeries, ceasefires...) with their
words in four languages, read from config/topics.toml.

`/add` looks a typed word up here first: "landmine", "ألغام", "mayınlı" or "мины" all find the topic
"Landmines and unexploded ordnance", whose words in every language become the keyword. Lookup folds
the word and also tries its inflected forms, so plurals and case forms find their topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.matching.text import candidates, keyword_forms, phrase_problem, tokenize
from bot.core.models import LANGUAGES, Concept, Variants

TOPIC_KEY_PREFIX = "topic:"
_FIELDS = {"key", "label", *LANGUAGES}


@dataclass(frozen=True)
class Topic:
    """A subject and its words per language."""

    key: str
    label: str
    words: Variants


def _folded(phrase: str) -> str:
    return " ".join(token.norm for token in tokenize(phrase))


def _words(item: Mapping[str, Any], key: str) -> dict[str, tuple[str, ...]]:
    words = {}
    for lang in LANGUAGES:
        values = item.get(lang)
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise ValueError(f"topic {key!r}: '{lang}' must be a non-empty list of words")
        words[lang] = tuple(v.strip() for v in values)
    return words


def parse_topics(data: Mapping[str, Any]) -> list[Topic]:
    """Topics from the parsed lexicon file; ValueError names the first problem (a word in two topics too)."""
    raw = data.get("topics")
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected one or more [[topics]] tables")
    topics: list[Topic] = []
    owner: dict[str, str] = {}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str) or not item["key"].strip():
            raise ValueError(f"topic #{number} needs a 'key'")
        key = item["key"].strip()
        unknown = sorted(set(item) - _FIELDS)
        if unknown:
            raise ValueError(f"topic {key!r}: unknown field {unknown[0]!r} (expected key, label, ar, tr, ru, en)")
        if key in {topic.key for topic in topics}:
            raise ValueError(f"topic key {key!r} is used twice")
        topic = Topic(key, str(item.get("label") or key).strip(), _words(item, key))
        for words in topic.words.values():
            for word in words:
                if (problem := phrase_problem(word)) is not None:
                    raise ValueError(f"topic {key!r}: {word!r} {problem}")
                folded = _folded(word)
                if owner.setdefault(folded, key) != key:
                    raise ValueError(f"{word!r} is in two topics, {owner[folded]!r} and {key!r}")
        topics.append(topic)
    return topics


class TopicLexicon:
    """Finds the topic a typed word belongs to, in any language and inflection."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics = list(topics)
        self._exact: dict[str, Topic] = {}
        self._forms: dict[str, Topic] = {}
        for topic in self.topics:
            for lang, words in topic.words.items():
                for word in words:
                    self._exact.setdefault(_folded(word), topic)
                    tokens = tokenize(word)
                    if len(tokens) == 1:
                        for form in keyword_forms(tokens[0], lang):
                            self._forms.setdefault(form, topic)

    def lookup(self, term: str) -> Topic | None:
        """The topic one of whose words `term` is (or is an inflection of), if any."""
        exact = self._exact.get(_folded(term))
        if exact is not None:
            return exact
        tokens = tokenize(term)
        if len(tokens) != 1:
            return None
        for form in sorted(candidates(tokens[0]), key=len, reverse=True):
            if form in self._forms:
                return self._forms[form]
        return None


def topic_concept(topic: Topic, extra: Mapping[str, Iterable[str]]) -> Concept:
    """The keyword for a topic: all its words, with the user's own spellings on top."""
    words: dict[str, list[str]] = {lang: list(values) for lang, values in topic.words.items()}
    for lang, values in extra.items():
        for value in values:
            if value and value not in words.setdefault(lang, []):
                words[lang].append(value)
    return Concept(key=TOPIC_KEY_PREFIX + topic.key, label=topic.label,
                   terms={lang: tuple(values) for lang, values in words.items()})
