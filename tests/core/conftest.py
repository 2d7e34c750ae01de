"""Fixtures for the pure core: the built-in concepts as shipped in config/keywords.toml, with the gazetteer."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.core.matching.keywords import parse_concepts
from bot.core.matching.matcher import Matcher
from bot.core.matching.places import Place, parse_places

CONFIG = Path(__file__).resolve().parents[2] / "config"
KEYWORDS_FILE = CONFIG / "keywords.toml"


@pytest.fixture(scope="session")
def shipped_places() -> list[Place]:
    with (CONFIG / "places.toml").open("rb") as handle:
        return parse_places(tomllib.load(handle))


@pytest.fixture(scope="session")
def builtin_matcher(shipped_places: list[Place]) -> Matcher:
    with KEYWORDS_FILE.open("rb") as handle:
        return Matcher(parse_concepts(tomllib.load(handle), shipped_places))
