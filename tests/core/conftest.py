"""Fixtures for the pure core: the built-in concepts as shipped in config/keywords.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.core.matching.keywords import parse_concepts
from bot.core.matching.matcher import Matcher

KEYWORDS_FILE = Path(__file__).resolve().parents[2] / "config" / "keywords.toml"


@pytest.fixture(scope="session")
def builtin_matcher() -> Matcher:
    with KEYWORDS_FILE.open("rb") as handle:
        return Matcher(parse_concepts(tomllib.load(handle)))
