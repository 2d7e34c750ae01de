"""`python -m bot eval FILE.jsonl`: precision, recall and F1 of the built-in keywords on a labelled corpus.

It runs the same matcher the bot runs (bot.core.matching.matcher) on title and summary, per language and overall.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.adapters.config_files import load_concepts, load_places
from bot.core.matching.evaluation import evaluate, format_scores
from bot.core.matching.keywords import AddRequest, build_user_concept
from bot.core.matching.matcher import Matcher, entry_text
from bot.core.matching.places import Gazetteer
from bot.errors import ConfigFileError


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


def _predictor(matcher: Matcher) -> Any:
    def predict(item: Mapping[str, Any]) -> bool:
        text = entry_text(str(item.get("title", "")), str(item.get("summary", "")))
        return bool(matcher.match(text, item.get("lang")))

    return predict


def run_evaluation(path: str, keywords_file: Path, places_file: Path | None = None, *,
                   show_errors: bool = False) -> str:
    """The report printed by the eval command: built-in keywords, then each user keyword in `custom`."""
    items = read_corpus(path)

    def relevant(item: Mapping[str, Any]) -> bool | None:
        value = item.get("relevant")
        return value if isinstance(value, bool) else None

    scores = evaluate(items, _predictor(Matcher(load_concepts(keywords_file))), relevant)
    sections = [format_scores(f"Built-in keywords ({keywords_file}) on {path}:", scores)]
    if show_errors and scores["all"].errors:
        sections.append("\n".join(scores["all"].errors))
    custom = sorted({str(k) for item in items for k in (item.get("custom") or [])})
    gazetteer = Gazetteer(load_places(places_file) if places_file and places_file.exists() else [])
    for term in custom:
        for label, places in (("gazetteer + sound-alike", gazetteer), ("sound-alike only", Gazetteer([]))):
            concept = build_user_concept(AddRequest(term), {}, places.lookup(term))

            def expected(item: Mapping[str, Any], term: str = term) -> bool | None:
                keys = item.get("custom")
                return None if keys is None else term in keys

            scores = evaluate(items, _predictor(Matcher([concept])), expected)
            sections.append(format_scores(f"User keyword typed as /add {term} ({label}, no translator):", scores))
            if show_errors and scores["all"].errors:
                sections.append("\n".join(scores["all"].errors))
    return "\n\n".join(sections)
