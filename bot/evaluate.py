"""`python -m bot eval FILE.jsonl`: precision, recall and F1 of the built-in keywords on a labelled corpus.

It runs the same matcher the bot runs (bot.core.matching) on title and summary, per language and overall.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.adapters.config_files import load_concepts
from bot.core.evaluation import evaluate, format_scores
from bot.core.matching import Matcher, entry_text
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


def run_evaluation(path: str, keywords_file: Path, *, show_errors: bool = False) -> str:
    """The report printed by the eval command."""
    items = read_corpus(path)
    matcher = Matcher(load_concepts(keywords_file))

    def predict(item: dict[str, Any]) -> bool:
        text = entry_text(str(item.get("title", "")), str(item.get("summary", "")))
        return bool(matcher.match(text, item.get("lang")))

    def expected(item: dict[str, Any]) -> bool | None:
        value = item.get("relevant")
        return value if isinstance(value, bool) else None

    scores = evaluate(items, predict, expected)
    report = format_scores(f"Built-in keywords ({keywords_file}) on {path}:", scores)
    if show_errors and scores["all"].errors:
        report += "\n\n" + "\n".join(scores["all"].errors)
    return report
