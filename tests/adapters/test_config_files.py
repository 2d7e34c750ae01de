"""The operator's TOML files: valid ones load, malformed ones give one error naming the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.config_files import load_concepts, load_feeds, validate_feed
from bot.core.feeds.telegram_channel import channel_feed_url, channel_name
from bot.core.models import LANGUAGES

REPO = Path(__file__).resolve().parents[2]


def test_shipped_feeds_cover_all_four_languages() -> None:
    feeds = load_feeds(REPO / "config" / "feeds.toml")
    assert {feed.lang for feed in feeds} == set(LANGUAGES)
    assert all(feed.url.startswith("https://") for feed in feeds)


def test_shipped_keywords_have_idlib_and_m4() -> None:
    concepts = {c.key: c for c in load_concepts(REPO / "config" / "keywords.toml")}
    assert set(concepts) == {"idlib", "m4"}
    assert all(set(concepts["idlib"].terms) == set(LANGUAGES) for _ in [0])
    assert concepts["m4"].vetoes and concepts["m4"].context


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[feeds]\n", "not valid TOML"),
        ('[[feeds]]\nname = "a"\nurl = "https://a.example/rss"\nlang = "fr"\n', "lang"),
        ('[[feeds]]\nname = ""\nurl = "https://a.example/rss"\nlang = "en"\n', "name"),
        ('[[feeds]]\nname = "a"\nurl = "file:///etc/passwd"\nlang = "en"\n', "url"),
        ('[[feeds]]\nname = "a"\nurl = "https://a.example/1"\nlang = "en"\n'
         '[[feeds]]\nname = "a"\nurl = "https://a.example/2"\nlang = "en"\n', "duplicate name"),
        ('feeds = "x"\n', "expected"),
    ],
)
def test_malformed_feeds_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(content)
    with pytest.raises(Exception, match=message) as caught:
        load_feeds(path)
    assert "FEEDS_FILE" in str(caught.value) and str(path) in str(caught.value)


def test_missing_feeds_file(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="does not exist"):
        load_feeds(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "concepts"),
        ('[[concepts]]\nlabel = "x"\n[concepts.terms]\nen = ["x"]\n', "key"),
        ('[[concepts]]\nkey = "x"\n[concepts.terms]\nfr = ["x"]\n', "unknown language"),
        ('[[concepts]]\nkey = "x"\n[concepts.terms]\nen = "x"\n', "list of strings"),
        ('[[concepts]]\nkey = "x"\n[concepts.ambiguous]\nen = ["x"]\n', "context"),
    ],
)
def test_malformed_keywords_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "keywords.toml"
    path.write_text(content)
    with pytest.raises(Exception, match=message) as caught:
        load_concepts(path)
    assert "KEYWORDS_FILE" in str(caught.value)


def test_shipped_gazetteer_knows_towns_in_every_script() -> None:
    from bot.adapters.config_files import load_places
    from bot.core.matching.places import Gazetteer

    places = load_places(REPO / "config" / "places.toml")
    assert all(set(place.names) == set(LANGUAGES) for place in places)
    gazetteer = Gazetteer(places)
    saraqib = gazetteer.lookup("Saraqib")
    assert saraqib is not None and gazetteer.lookup("سراقب") is saraqib and gazetteer.lookup("Саракиб") is saraqib
    ariha = gazetteer.lookup("أريحا")
    assert ariha is not None and ariha.ambiguous and ariha.vetoes


@pytest.mark.parametrize("address", ["@idlib_news", "https://t.me/idlib_news", "t.me/s/idlib_news"])
def test_channel_feed_addresses_are_stored_as_the_preview(address: str) -> None:
    assert validate_feed("Idlib News", address, "ar").url == "https://t.me/s/idlib_news"


def test_channel_invite_link_is_not_a_feed() -> None:
    with pytest.raises(ValueError, match="http"):
        validate_feed("Private", "@+AbCdEf", "ar")


def test_shipped_channel_sources_are_public_previews_in_all_four_languages() -> None:
    channels = [feed for feed in load_feeds(REPO / "config" / "feeds.toml") if channel_name(feed.url)]
    assert {feed.lang for feed in channels} == set(LANGUAGES)
    assert all(feed.url == channel_feed_url(channel_name(feed.url) or "") for feed in channels)
