"""`python -m bot eval-stories`: reads labelled reports, clusters them in order, prints the figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core.stories.clustering import Report
from bot.core.stories.place_index import PlaceIndex
from bot.evaluate_stories import evaluate_stories, labelled_reports, with_pivots

ITEMS = [
    {"id": "3", "story": "B", "lang": "en", "source": "c.example", "published": "2026-05-04T12:00:00Z",
     "title": "Fifth joint patrol held on the M4", "summary": ""},
    {"id": "1", "story": "A", "lang": "ru", "source": "a.example", "published": "2026-05-04T08:00:00Z",
     "title": "Четвертое совместное патрулирование прошло на трассе М4", "summary": ""},
    {"id": "2", "story": "A", "lang": "tr", "source": "b.example", "published": "2026-05-04T09:00:00+00:00",
     "title": "M4'te 4. ortak devriye yapıldı", "summary": ""},
]


def write(path: Path, items: list[dict[str, str]]) -> str:
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n", encoding="utf-8")
    return str(path)


def test_the_command_prints_pairs_and_ends_with_the_summary_line(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-stories", write(tmp_path / "s.jsonl", ITEMS)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "offline" in lines[0]
    assert any(line.startswith("ru-tr ") for line in lines)
    assert lines[-1] == "pairwise_precision=1.000 pairwise_recall=1.000 bcubed_f1=1.000 messages_per_story=1.00"


def test_reports_are_read_in_order_of_publication(tmp_path: Path) -> None:
    labelled = labelled_reports(write(tmp_path / "s.jsonl", ITEMS))
    assert [report.key for report, _ in labelled] == ["1", "2", "3"]
    assert [truth for _, truth in labelled] == ["A", "A", "B"]


@pytest.mark.parametrize("broken, message", [
    ({"published": "yesterday"}, "not an ISO 8601 time"),
    ({"published": "2026-05-04T08:00:00"}, "needs a time zone"),
    ({"story": ""}, "missing story"),
])
def test_a_malformed_item_is_an_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                broken: dict[str, str], message: str) -> None:
    path = write(tmp_path / "s.jsonl", [ITEMS[0], {**ITEMS[1], **broken}])
    assert main(["eval-stories", path]) == 2
    error = capsys.readouterr().err
    assert message in error and "item 2 (1)" in error


async def test_pivots_fill_reports_not_in_english_and_the_pivot_mode_uses_them() -> None:
    english = Report("1", "a.example", "en", labelled_at(8), "Protesters block the highway near the crossing",
                     "Hundreds of protesters blocked the road demanding the release of detainees")
    arabic = Report("2", "b.example", "ar", labelled_at(9), "محتجون يقطعون الطريق قرب المعبر",
                    "مئات المحتجين طالبوا بالإفراج عن المعتقلين")
    asked: list[str] = []

    async def pivot(report: Report) -> str | None:
        asked.append(report.key)
        return english.title + "\n" + english.summary

    filled = await with_pivots([(english, "A"), (arabic, "A")], pivot)
    assert asked == ["2"]
    assert filled[1][0].pivot is not None and filled[0][0].pivot is None
    assert evaluate_stories(filled, PlaceIndex(), "t").splitlines()[-1].startswith(
        "pairwise_precision=1.000 pairwise_recall=1.000")
    assert evaluate_stories([(english, "A"), (arabic, "A")], PlaceIndex(), "t").splitlines()[-1].startswith(
        "pairwise_precision=1.000 pairwise_recall=0.000")


def labelled_at(hour: int) -> datetime:
    return datetime(2026, 5, 4, hour, tzinfo=UTC)


def test_errors_lists_missed_and_wrong_merges_before_the_figures(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    items = [*ITEMS, {"id": "4", "story": "A", "lang": "en", "source": "d.example",
                      "published": "2026-05-04T10:00:00Z", "title": "Fire at a bakery in Aleppo", "summary": ""}]
    assert main(["eval-stories", write(tmp_path / "s.jsonl", items), "--errors"]) == 0
    out = capsys.readouterr().out
    missed, _, rest = out.partition("Wrong merges")
    assert "event A: 3 reports in 2 stories" in missed and "4 2026-05-04 10:00 d.example: Fire at a bakery" in missed
    assert rest.splitlines()[1] == "  none"
    assert out.strip().splitlines()[-1].startswith("pairwise_precision=1.000 ")
