"""Phrases that could never match, and config files that are not UTF-8 (issue 12, item 19).

A keyword phrase matches through its tokens; one that yields none (empty, spaces, punctuation, tatweel, a
lone apostrophe) is refused where it comes in: at start, with one line naming the file, the entry and the
problem (exit 2, no traceback), and from /add with a clear reply.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.config_files import load_concepts, load_places, load_topics
from bot.core.matching.keywords import clean_term, parse_add
from bot.core.matching.text import phrase_problem
from bot.errors import ConfigFileError, UserError

REPO = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token"
NEVER_MATCH = ["", "   ", "...", "—", "ـــ", "ʼ", "«»", "#"]


@pytest.mark.parametrize("phrase", NEVER_MATCH)
def test_a_phrase_without_letters_or_digits_has_a_problem(phrase: str) -> None:
    assert phrase_problem(phrase) is not None


@pytest.mark.parametrize("phrase", ["M4", "إدلب", "Ⅻ", "٣", "İdlib'de", "a"])
def test_a_phrase_the_matcher_can_find_has_no_problem(phrase: str) -> None:
    assert phrase_problem(phrase) is None


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def one_line(error: pytest.ExceptionInfo[ConfigFileError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_punctuation_only_keyword_phrase_is_refused_naming_file_concept_and_phrase(tmp_path: Path) -> None:
    path = write(tmp_path / "keywords.toml",
                 '[[concepts]]\nkey = "idlib"\n[concepts.terms]\nen = ["Idlib", "..."]\n')
    with pytest.raises(ConfigFileError) as raised:
        load_concepts(path)
    message = one_line(raised)
    assert message.startswith(f"KEYWORDS_FILE: {path}: ")
    assert "'idlib'" in message and "'terms'" in message and "'...'" in message and "no letters" in message


def test_an_empty_context_phrase_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "keywords.toml", '[[concepts]]\nkey = "m4"\n[concepts.ambiguous]\nen = ["M4"]\n'
                                             '[concepts.context]\nen = ["Syria", " "]\n')
    with pytest.raises(ConfigFileError, match=r"concept 'm4': 'context': en phrase ' ' is empty"):
        load_concepts(path)


def test_a_sentence_veto_of_punctuation_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "keywords.toml",
                 '[[concepts]]\nkey = "m4"\n[concepts.ambiguous]\nen = ["M4"]\n[concepts.context]\nen = ["Syria"]\n'
                 '[[concepts.sentence_vetoes]]\nen = ["--"]\n')
    with pytest.raises(ConfigFileError, match=r"sentence_vetoes #1: en phrase '--' has no letters"):
        load_concepts(path)


@pytest.mark.parametrize("field", ["names", "context", "vetoes"])
def test_a_place_spelling_that_could_never_match_is_refused(tmp_path: Path, field: str) -> None:
    names = '"Saraqib", "ـــ"' if field == "names" else '"Saraqib"'
    extra = "" if field == "names" else f'ambiguous = "also elsewhere"\n[places.{field}]\nen = ["ـــ"]\n'
    if field == "vetoes":
        extra = 'ambiguous = "also elsewhere"\n[places.context]\nen = ["Idlib"]\n[places.vetoes]\nen = ["ـــ"]\n'
    path = write(tmp_path / "places.toml", f'[[places]]\nkey = "saraqib"\n{extra}[places.names]\nen = [{names}]\n')
    with pytest.raises(ConfigFileError) as raised:
        load_places(path)
    message = one_line(raised)
    assert message.startswith(f"PLACES_FILE: {path}: place 'saraqib': {field}.en: 'ـــ'")


def test_a_topic_word_of_punctuation_is_refused(tmp_path: Path) -> None:
    words = "\n".join(f'{lang} = ["word{lang}"]' for lang in ("ar", "tr", "ru"))
    path = write(tmp_path / "topics.toml", f'[[topics]]\nkey = "mines"\n{words}\nen = ["landmine", "!!"]\n')
    with pytest.raises(ConfigFileError, match=r"TOPICS_FILE: .*topic 'mines': '!!' has no letters or digits"):
        load_topics(path)


def test_the_shipped_config_files_have_no_phrase_that_could_never_match() -> None:
    places = load_places(REPO / "config" / "places.toml")
    assert load_concepts(REPO / "config" / "keywords.toml", places)
    assert load_topics(REPO / "config" / "topics.toml")


@pytest.mark.parametrize("term", ["ـــ", "ʼ", "...", "ـ ـ"])
def test_add_refuses_a_term_the_matcher_could_never_find(term: str) -> None:
    with pytest.raises(UserError, match="letter or digit"):
        clean_term(term)


def test_add_refuses_a_context_word_the_matcher_could_never_find() -> None:
    with pytest.raises(UserError, match="letter or digit"):
        parse_add("Saraqib | near: Idlib, ـــ")


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "TELEGRAM_BOT_TOKEN": TOKEN,
             "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3", **env}
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=clean, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_start_up_with_a_phrase_that_could_never_match_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    keywords = (REPO / "config" / "keywords.toml").read_text(encoding="utf-8")
    broken = write(tmp_path / "keywords.toml", keywords.replace('"Idlip"]', '"Idlip", "…"]', 1))
    assert broken.read_text(encoding="utf-8") != keywords
    result = run_bot(tmp_path, KEYWORDS_FILE=str(broken))
    assert_one_line_exit_2(result, "KEYWORDS_FILE", str(broken), "'idlib'", "'…'", "no letters or digits")


@pytest.mark.parametrize("variable", ["FEEDS_FILE", "KEYWORDS_FILE", "PLACES_FILE", "TOPICS_FILE"])
def test_start_up_with_a_config_file_that_is_not_utf8_prints_one_line_and_exits_2(
        tmp_path: Path, variable: str) -> None:
    shipped = {"FEEDS_FILE": "feeds.toml", "KEYWORDS_FILE": "keywords.toml", "PLACES_FILE": "places.toml",
               "TOPICS_FILE": "topics.toml"}[variable]
    path = tmp_path / shipped
    path.write_bytes((REPO / "config" / shipped).read_bytes() + '\n# café\n'.encode("cp1252"))
    result = run_bot(tmp_path, **{variable: str(path)})
    assert_one_line_exit_2(result, variable, str(path), "not UTF-8")
