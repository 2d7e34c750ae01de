"""`python -m bot eval`: user keywords built as /add builds them, scored with the translator off and with the
translation cache, mistakes listed by class, and the held-out sets of tests/data meeting their targets."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.adapters.storage.database import Storage
from bot.evaluate import EvalConfig, run_evaluation

REPO = Path(__file__).resolve().parents[1]
CONFIG = EvalConfig(REPO / "config" / "keywords.toml", REPO / "config" / "places.toml", REPO / "config" / "topics.toml")


def rows(report: str, title: str) -> dict[str, tuple[float, float]]:
    """lang -> (precision, recall) of the table under `title`."""
    section = report.split(title, 1)[1].split("\n\n", 1)[0]
    found = re.findall(r"^(\w+)\s+\d+\s+([\d.]+)\s+([\d.]+)", section, re.MULTILINE)
    return {lang: (float(p), float(r)) for lang, p, r in found}


def write(path: Path, items: list[dict[str, object]]) -> str:
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items), encoding="utf-8")
    return str(path)


def test_user_keywords_of_the_held_out_set_reach_the_target_in_every_language() -> None:
    report = run_evaluation(str(REPO / "tests" / "data" / "user_keywords_heldout.jsonl"), CONFIG)
    for title in ("/add landmine (topic", "/add Kafr Lusin (no topic or place; translator off)"):
        scores = rows(report, title)
        assert set(scores) == {"ar", "tr", "ru", "en", "all"}
        assert all(p >= 0.98 and r >= 0.9 for p, r in scores.values()), (title, scores)


def test_errors_are_listed_by_class(tmp_path: Path) -> None:
    corpus = write(tmp_path / "c.jsonl", [
        {"id": "1", "lang": "en", "title": "Apple M4 chip in Syria", "relevant": False, "topic": "neg_apple"},
        {"id": "2", "lang": "en", "title": "The M4 reopens", "relevant": True, "topic": "m4_no_context"},
        {"id": "3", "lang": "en", "title": "Shelling in Idlib", "relevant": True, "topic": "idlib"},
    ])
    report = run_evaluation(corpus, EvalConfig(CONFIG.keywords_file, CONFIG.places_file, show_errors=True))
    assert "m4_no_context (1):\n  missed: 2 The M4 reopens" in report
    assert "idlib (" not in report


def test_any_keyword_is_scored_with_the_translator_off_and_with_the_cache(tmp_path: Path) -> None:
    corpus = write(tmp_path / "c.jsonl", [
        {"id": "1", "lang": "ar", "title": "سحب اليانصيب الشهري", "custom": ["lottery"]},
        {"id": "2", "lang": "en", "title": "Lottery draw held", "custom": ["lottery"]},
        {"id": "3", "lang": "en", "title": "Market reopens", "custom": []},
    ])
    database = f"sqlite:///{tmp_path}/cache.sqlite3"

    async def cache() -> None:
        storage = await Storage.connect(database)
        await storage.put_translation("lottery", "en", "ar", "يانصيب", "google", datetime.now(UTC))
        await storage.close()

    asyncio.run(cache())
    config = EvalConfig(CONFIG.keywords_file, CONFIG.places_file, CONFIG.topics_file, ("lottery",),
                        database_url=database)
    report = run_evaluation(corpus, config)
    assert rows(report, "/add lottery (no topic or place; translator off)")["ar"] == (1.0, 0.0)
    assert rows(report, "/add lottery (no topic or place; translations from the cache)")["ar"] == (1.0, 1.0)


def test_the_command_line_takes_keywords(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write(tmp_path / "c.jsonl", [{"id": "1", "lang": "tr", "title": "Mayınlı arazi", "custom": ["mayın"]}])
    monkeypatch.chdir(REPO)
    assert main(["eval", corpus, "--keyword", "landmine", "--keyword", "mayın"]) == 0
    out = capsys.readouterr().out
    assert "/add landmine (topic 'Landmines and unexploded ordnance'; translator off)" in out
    assert "/add mayın (topic 'Landmines and unexploded ordnance'; translator off)" in out
