"""Reading the operator's TOML files (feeds and keyword concepts) into validated domain objects."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from bot.core.feeds.telegram_channel import channel_feed_url, channel_name
from bot.core.matching.keywords import parse_concepts
from bot.core.matching.places import Place, parse_places
from bot.core.matching.topics import Topic, parse_topics
from bot.core.models import LANGUAGES, Concept, FeedConfig
from bot.errors import ConfigFileError

T = TypeVar("T")


def _load(path: Path, variable: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigFileError(f"{variable}: {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileError(f"{variable}: {path} is not valid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigFileError(f"{variable}: {path} is not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ConfigFileError(f"{variable}: cannot read {path}: {error.strerror}") from None


MAX_FEED_NAME_LENGTH = 200
"""The feeds table's name column."""


def validate_feed(name: Any, url: Any, lang: Any) -> FeedConfig:
    """A FeedConfig, or ValueError saying which field is wrong. A public Telegram channel (`@name`,
    `https://t.me/name`) is stored under its preview address, https://t.me/s/<name>."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("'name' must be a non-empty string")
    if len(name.strip()) > MAX_FEED_NAME_LENGTH:
        raise ValueError(f"'name' must be at most {MAX_FEED_NAME_LENGTH} characters")
    channel = channel_name(url) if isinstance(url, str) else None
    if channel is not None:
        url = channel_feed_url(channel)
    if not isinstance(url, str) or urlparse(url.strip()).scheme not in ("http", "https") \
            or not urlparse(url.strip()).netloc:
        raise ValueError(f"'url' must be an http(s) URL, not {url!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"'lang' must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return FeedConfig(name=name.strip(), url=url.strip(), lang=lang)


def load_feeds(path: Path) -> list[FeedConfig]:
    """The feeds of FEEDS_FILE: repeated [[feeds]] tables with name, url and lang."""
    data = _load(path, "FEEDS_FILE")
    tables = data.get("feeds", [])
    if not isinstance(tables, list):
        raise ConfigFileError(f"FEEDS_FILE: {path}: expected [[feeds]] tables")
    feeds: list[FeedConfig] = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise ConfigFileError(f"FEEDS_FILE: {path}: feed #{number} is not a table")
        try:
            feeds.append(validate_feed(table.get("name"), table.get("url"), table.get("lang")))
        except ValueError as error:
            raise ConfigFileError(f"FEEDS_FILE: {path}: feed #{number}: {error}") from None
    for attribute in ("name", "url"):
        values = [getattr(feed, attribute) for feed in feeds]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ConfigFileError(f"FEEDS_FILE: {path}: duplicate {attribute}: {duplicates[0]}")
    return feeds


def _parsed(path: Path, variable: str, parse: Callable[[dict[str, Any]], list[T]]) -> list[T]:
    data = _load(path, variable)
    try:
        return parse(data)
    except ValueError as error:
        raise ConfigFileError(f"{variable}: {path}: {error}") from None


def load_concepts(path: Path, places: list[Place] | None = None) -> list[Concept]:
    """The built-in keyword concepts of KEYWORDS_FILE; a concept's `corridor` takes its context from `places`."""
    return _parsed(path, "KEYWORDS_FILE", lambda data: parse_concepts(data, places))


def load_builtin_concepts(keywords_file: Path, places_file: Path | None) -> list[Concept]:
    """The built-in concepts with the gazetteer's corridor places as context (PLACES_FILE when it exists)."""
    places = load_places(places_file) if places_file is not None and places_file.exists() else None
    return load_concepts(keywords_file, places)


def load_places(path: Path) -> list[Place]:
    """The gazetteer of PLACES_FILE that /add looks terms up in."""
    return _parsed(path, "PLACES_FILE", parse_places)


def load_topics(path: Path) -> list[Topic]:
    """The topic lexicon of TOPICS_FILE that /add looks a word up in first."""
    return _parsed(path, "TOPICS_FILE", parse_topics)
