"""Settings for fetching feeds safely: FETCH_PER_HOST_CONCURRENCY and ALLOW_PRIVATE_FEED_ADDRESSES."""

from __future__ import annotations

import pytest

from bot.errors import SettingsError
from bot.settings import Settings

TOKEN = "123456:ABC-secret"


def test_defaults_are_polite_and_refuse_internal_addresses() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.fetch_per_host_concurrency == 2
    assert settings.allow_private_feed_addresses is False


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("TRUE", True), ("1", True), ("yes", True),
                                               ("on", True), ("false", False), ("0", False), ("no", False),
                                               ("off", False), ("", False)])
def test_allow_private_feed_addresses_values(raw: str, expected: bool) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "ALLOW_PRIVATE_FEED_ADDRESSES": raw}
    assert Settings.from_env(env).allow_private_feed_addresses is expected


def test_per_host_concurrency_is_parsed() -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "FETCH_PER_HOST_CONCURRENCY": "5"}
    assert Settings.from_env(env).fetch_per_host_concurrency == 5


@pytest.mark.parametrize(("name", "raw"), [("ALLOW_PRIVATE_FEED_ADDRESSES", "maybe"),
                                           ("FETCH_PER_HOST_CONCURRENCY", "0"),
                                           ("FETCH_PER_HOST_CONCURRENCY", "many")])
def test_bad_values_name_the_variable(name: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: raw})
