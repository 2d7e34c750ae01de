"""`python -m bot eval FILE.jsonl`: precision, recall and F1 of the built-in keywords, and of user keywords, on a
labelled corpus, per language, with the mistakes listed by class (the items' `topic` field).

It runs the same matcher the bot runs (bot.core.matching.matcher) on title and summary. A user keyword (each
term of the items' `custom` lists, or given with --keyword in the /add syntax) is built as /add builds it:
the topic lexicon, then the gazetteer, then the translator. The translator is never called: each keyword is
scored with the translator off and, with --cache, with the translations already in the bot's translation
cache (DATABASE_URL), so the figures are reproducible offline.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.config_files import load_builtin_concepts, load_places, load_topics
from bot.core.matching.evaluation import Score, evaluate, format_errors, format_scores
from bot.core.matching.keywords import build_user_concept, parse_add, term_language
from bot.core.matching.matcher import Matcher, entry_text
from bot.core.matching.places import Gazetteer
from bot.core.matching.topics import TopicLexicon
from bot.core.models import LANGUAGES, Concept
from bot.errors import ConfigFileError

Translations = Mapping[str, Mapping[str, str]]  # term -> language -> spelling


@dataclass(frozen=True)
class EvalConfig:
    """The files and options of one evaluation run."""

    keywords_file: Path
    places_file: Path | None = None
    topics_file: Path | None = None
    keywords: tuple[str, ...] = ()
    show_errors: bool = False
    database_url: str | None = None  # read cached translations from here (--cache)


def read_corpus(path: str) -> list[dict[str, Any]]:
    """Items of a JSONL corpus; a malformed line is an error naming the line."""
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigFileError(f"cannot read corpus {path}: {error.strerror}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ConfigFileError(f"{path}:{number}: not JSON: {error.msg}") from None
        if not isinstance(item, dict) or "title" not in item:
            raise ConfigFileError(f"{path}:{number}: expected an object with at least 'title'")
        items.append(item)
    return items


def _predictor(matcher: Matcher) -> Callable[[Mapping[str, Any]], bool]:
    def predict(item: Mapping[str, Any]) -> bool:
        text = entry_text(str(item.get("title", "")), str(item.get("summary", "")))
        return bool(matcher.match(text, item.get("lang")))

    return predict


def _section(title: str, scores: Mapping[str, Score], show_errors: bool) -> str:
    text = format_scores(title, scores)
    if show_errors and scores["all"].errors:
        text += "\n" + format_errors(scores["all"])
    return text


def user_keyword(raw: str, lexicon: TopicLexicon, gazetteer: Gazetteer,
                 translations: Mapping[str, str]) -> tuple[Concept, str]:
    """The concept /add would store for `raw`, and where its spellings came from."""
    request = parse_add(raw)
    topic = lexicon.lookup(request.term)
    place = None if topic else next(filter(None, map(gazetteer.lookup, (request.term, *request.variants))), None)
    source = f"topic {topic.label!r}" if topic else f"gazetteer {place.label!r}" if place else "no topic or place"
    return build_user_concept(request, translations, place, topic), source


async def cached_translations(database_url: str, terms: Sequence[str]) -> dict[str, dict[str, str]]:
    """What the translation cache holds for each term, into each other language (nothing is translated)."""
    from bot.adapters.storage.database import Storage

    storage = await Storage.connect(database_url)
    try:
        found: dict[str, dict[str, str]] = {}
        for raw in terms:
            term = parse_add(raw).term
            source = term_language(term)
            for target in LANGUAGES:
                if target != source:
                    cached = await storage.get_translation(term.strip(), source, target)
                    if cached:
                        found.setdefault(raw, {})[target] = cached
        return found
    finally:
        await storage.close()


def run_evaluation(path: str, config: EvalConfig) -> str:
    """The report printed by the eval command: built-in keywords, then each user keyword."""
    items = read_corpus(path)

    def relevant(item: Mapping[str, Any]) -> bool | None:
        value = item.get("relevant")
        return value if isinstance(value, bool) else None

    builtin = Matcher(load_builtin_concepts(config.keywords_file, config.places_file))
    sections = [_section(f"Built-in keywords ({config.keywords_file}) on {path}:",
                         evaluate(items, _predictor(builtin), relevant), config.show_errors)]
    terms = list(config.keywords) or sorted({str(k) for item in items for k in (item.get("custom") or [])})
    if not terms:
        return sections[0]
    places = load_places(config.places_file) if config.places_file and config.places_file.exists() else []
    topics = load_topics(config.topics_file) if config.topics_file and config.topics_file.exists() else []
    lexicon, gazetteer = TopicLexicon(topics), Gazetteer(places)
    runs: list[tuple[str, Translations]] = [("translator off", {})]
    if config.database_url:
        runs.append(("translations from the cache", asyncio.run(cached_translations(config.database_url, terms))))
    for raw in terms:
        term = parse_add(raw).term

        def expected(item: Mapping[str, Any], term: str = term) -> bool | None:
            keys = item.get("custom")
            return None if keys is None else term in keys

        for label, translations in runs:
            concept, source = user_keyword(raw, lexicon, gazetteer, translations.get(raw, {}))
            scores = evaluate(items, _predictor(Matcher([concept])), expected)
            sections.append(_section(f"User keyword /add {raw} ({source}; {label}):", scores, config.show_errors))
    return "\n\n".join(sections)
