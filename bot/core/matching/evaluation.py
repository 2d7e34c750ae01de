"""Precision, recall and F1 of a classifier on a labelled corpus, per language and overall, with every mistake
kept under the class of its item (the corpus' `topic` field: neg_apple, m4, custom_saraqib...) (pure)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Score:
    """Confusion counts for one slice of the corpus."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)
    by_class: dict[str, list[str]] = field(default_factory=dict)

    def add(self, predicted: bool, expected: bool, label: str, kind: str = "?") -> None:
        """Count one item; keep a note of every mistake, also under the item's class `kind`."""
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self._error(f"false positive: {label}", kind)
        elif expected:
            self.fn += 1
            self._error(f"missed: {label}", kind)
        else:
            self.tn += 1

    def _error(self, note: str, kind: str) -> None:
        self.errors.append(note)
        self.by_class.setdefault(kind, []).append(note)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(
    items: Iterable[Mapping[str, Any]],
    predict: Callable[[Mapping[str, Any]], bool],
    expected: Callable[[Mapping[str, Any]], bool | None],
) -> dict[str, Score]:
    """Scores per language and under "all"; items whose `expected` is None are left out."""
    scores: dict[str, Score] = {"all": Score()}
    for item in items:
        truth = expected(item)
        if truth is None:
            continue
        lang = str(item.get("lang", "?"))
        guess = predict(item)
        label = f"{item.get('id', '?')} {str(item.get('title', ''))[:80]}"
        kind = str(item.get("topic") or "?")
        scores.setdefault(lang, Score()).add(guess, truth, label, kind)
        scores["all"].add(guess, truth, label, kind)
    return scores


def format_errors(score: Score) -> str:
    """The mistakes grouped by class, the most frequent class first."""
    lines = []
    for kind, notes in sorted(score.by_class.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        lines.append(f"{kind} ({len(notes)}):")
        lines.extend(f"  {note}" for note in notes)
    return "\n".join(lines)


def format_scores(title: str, scores: Mapping[str, Score]) -> str:
    """A small fixed-width table."""
    lines = [title, f"{'lang':<6}{'n':>5}{'precision':>11}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>4}{'fn':>4}"]
    for lang in sorted(scores, key=lambda k: (k == "all", k)):
        s = scores[lang]
        n = s.tp + s.fp + s.fn + s.tn
        lines.append(f"{lang:<6}{n:>5}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>4}{s.fn:>4}")
    return "\n".join(lines)
