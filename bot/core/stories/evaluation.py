"""Scores of a clustering against true story labels: pairwise precision and recall, B-cubed F1, and the
messages a subscriber would receive per story, overall and per language pair (pure).

A subscriber receives one message per predicted story (later reports edit it in place), so messages per
true story is the number of predicted stories over the number of true ones: 1.0 is the aim, more means
missed merges, less means events hidden by wrong merges.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Clustered:
    """One item: its language, its true story and the story clustering put it in."""

    lang: str
    truth: str
    predicted: str
    label: str = ""
    """How the item is shown in the list of errors (its id, time and title)."""


@dataclass(frozen=True)
class Scores:
    """The figures for one slice of the items; `pairs` counts the item pairs the pairwise figures rest on."""

    items: int
    pairs: int
    pairwise_precision: float
    pairwise_recall: float
    bcubed_f1: float
    messages_per_story: float


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def pairwise(items: Sequence[Clustered], langs: tuple[str, str] | None = None) -> tuple[float, float, int]:
    """Precision and recall over pairs of items (only pairs in languages `langs` when given), and the
    number of such pairs; with no pair predicted (or none true) precision (recall) is 1.0."""
    together = true_together = both = counted = 0
    for first, second in combinations(items, 2):
        if langs is not None and tuple(sorted((first.lang, second.lang))) != langs:
            continue
        counted += 1
        predicted = first.predicted == second.predicted
        truth = first.truth == second.truth
        together += predicted
        true_together += truth
        both += predicted and truth
    return _ratio(both, together), _ratio(both, true_together), counted


def bcubed_f1(items: Sequence[Clustered]) -> float:
    """The harmonic mean of B-cubed precision and recall (per item, averaged)."""
    if not items:
        return 1.0
    overlap = Counter((item.predicted, item.truth) for item in items)
    predicted_size = Counter(item.predicted for item in items)
    true_size = Counter(item.truth for item in items)
    precision = sum(overlap[(i.predicted, i.truth)] / predicted_size[i.predicted] for i in items) / len(items)
    recall = sum(overlap[(i.predicted, i.truth)] / true_size[i.truth] for i in items) / len(items)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def messages_per_story(items: Sequence[Clustered]) -> float:
    """Predicted stories (messages) over true stories."""
    return _ratio(len({item.predicted for item in items}), len({item.truth for item in items}))


def scores(items: Sequence[Clustered], langs: tuple[str, str] | None = None) -> Scores:
    """All figures, overall or for one language pair (pairs across the two languages, or within one when
    both are the same; B-cubed and messages over the items in those languages)."""
    chosen = items if langs is None else [item for item in items if item.lang in langs]
    precision, recall, pairs = pairwise(chosen, langs)
    return Scores(len(chosen), pairs, precision, recall, bcubed_f1(chosen), messages_per_story(chosen))


def language_pairs(items: Sequence[Clustered]) -> list[tuple[str, str]]:
    """Every pair of languages present (a language with itself included), sorted."""
    langs = sorted({item.lang for item in items})
    return [(a, b) for index, a in enumerate(langs) for b in langs[index:]]


def format_report(title: str, items: Sequence[Clustered]) -> str:
    """A table per language pair, then the overall line; the last line is the machine-readable summary."""
    lines = [title, f"{'languages':<10} {'items':>5} {'pairs':>6} {'precision':>9} {'recall':>7} "
                    f"{'b3_f1':>6} {'msgs/story':>10}"]
    rows = [(f"{a}-{b}", scores(items, (a, b))) for a, b in language_pairs(items)]
    for label, row in [*rows, ("all", scores(items))]:
        lines.append(f"{label:<10} {row.items:>5} {row.pairs:>6} {row.pairwise_precision:>9.3f} "
                     f"{row.pairwise_recall:>7.3f} {row.bcubed_f1:>6.3f} {row.messages_per_story:>10.2f}")
    overall = scores(items)
    lines.append(f"pairwise_precision={overall.pairwise_precision:.3f} pairwise_recall={overall.pairwise_recall:.3f} "
                 f"bcubed_f1={overall.bcubed_f1:.3f} messages_per_story={overall.messages_per_story:.2f}")
    return "\n".join(lines)


def format_errors(items: Sequence[Clustered]) -> str:
    """Every wrong decision, by class: events split into several stories (missed merges: each extra one
    is a message more), then stories that mix events (wrong merges: an event hidden)."""
    by_truth: dict[str, list[Clustered]] = defaultdict(list)
    by_story: dict[str, list[Clustered]] = defaultdict(list)
    for item in items:
        by_truth[item.truth].append(item)
        by_story[item.predicted].append(item)
    lines = ["Missed merges (one event, several stories):"]
    lines += _grouped(by_truth, "event", lambda item: item.predicted, ("story", "stories"))
    lines.append("Wrong merges (one story, several events):")
    lines += _grouped(by_story, "story", lambda item: item.truth, ("event", "events"))
    return "\n".join(lines)


def _grouped(groups: dict[str, list[Clustered]], name: str, key: Callable[[Clustered], str],
             part: tuple[str, str]) -> list[str]:
    lines = []
    for group, members in groups.items():
        parts = list(dict.fromkeys(key(item) for item in members))
        if len(parts) < 2:
            continue
        lines.append(f"  {name} {group}: {len(members)} reports in {len(parts)} {part[1]}")
        lines += [f"    {part[0]} {value}: {item.lang} {item.label}" for value in parts for item in members
                  if key(item) == value]
    return lines or ["  none"]
