"""Scores of a clustering against true labels, on hand-made clusterings with known answers."""

from __future__ import annotations

import pytest

from bot.core.stories.evaluation import (
    Clustered,
    bcubed_f1,
    format_report,
    language_pairs,
    messages_per_story,
    pairwise,
    scores,
)


def items(*rows: str) -> list[Clustered]:
    """Rows "lang truth predicted"."""
    return [Clustered(*row.split()) for row in rows]


def test_a_perfect_clustering_scores_one_everywhere() -> None:
    clustered = items("ar A 1", "en A 1", "tr B 2")
    assert pairwise(clustered)[:2] == (1.0, 1.0)
    assert bcubed_f1(clustered) == 1.0
    assert messages_per_story(clustered) == 1.0


def test_a_wrong_merge_lowers_precision_and_messages() -> None:
    # true A = {a1, a2}, B = {b1}; all three predicted together: predicted pairs 3, true pairs 1
    clustered = items("en A 1", "en A 1", "en B 1")
    precision, recall, counted = pairwise(clustered)
    assert (precision, recall, counted) == (pytest.approx(1 / 3), 1.0, 3)
    assert messages_per_story(clustered) == 0.5
    # B-cubed precision: (2/3 + 2/3 + 1/3) / 3 = 5/9; recall 1
    assert bcubed_f1(clustered) == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_a_missed_merge_lowers_recall_and_adds_messages() -> None:
    # true A = {1, 2, 3} split as {1, 2} and {3}: true pairs 3, found 1
    clustered = items("ar A 1", "en A 1", "tr A 2")
    precision, recall, _ = pairwise(clustered)
    assert (precision, recall) == (1.0, pytest.approx(1 / 3))
    assert messages_per_story(clustered) == 2.0
    # B-cubed recall: (2/3 + 2/3 + 1/3) / 3 = 5/9; precision 1
    assert bcubed_f1(clustered) == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_language_pairs_count_only_the_pairs_across_those_languages() -> None:
    clustered = items("ar A 1", "en A 1", "en A 2", "tr B 3")
    assert language_pairs(clustered) == [("ar", "ar"), ("ar", "en"), ("ar", "tr"), ("en", "en"), ("en", "tr"),
                                         ("tr", "tr")]
    ar_en = scores(clustered, ("ar", "en"))
    assert (ar_en.pairs, ar_en.pairwise_precision, ar_en.pairwise_recall) == (2, 1.0, 0.5)
    assert ar_en.items == 3
    en_en = scores(clustered, ("en", "en"))
    assert (en_en.pairs, en_en.pairwise_recall) == (1, 0.0)


def test_with_no_pairs_predicted_precision_is_one() -> None:
    assert pairwise(items("en A 1", "en B 2"))[:2] == (1.0, 1.0)


def test_the_report_ends_with_the_summary_line() -> None:
    text = format_report("Stories:", items("ar A 1", "en A 1", "tr A 2"))
    assert text.splitlines()[-1] == ("pairwise_precision=1.000 pairwise_recall=0.333 bcubed_f1=0.714 "
                                     "messages_per_story=2.00")
    assert any(line.startswith("ar-en ") for line in text.splitlines())
