"""Settings for public Telegram channels as sources: TELEGRAM_PREVIEW_URL and CHANNEL_CATCH_UP_PAGES."""

from __future__ import annotations

import pytest

from bot.errors import SettingsError
from bot.settings import Settings

TOKEN = "123456:TEST-token"


def test_channel_settings_defaults_read_t_me() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (settings.telegram_preview_url, settings.channel_catch_up_pages) == ("https://t.me", 5)


def test_channel_settings_take_a_fake_server_and_more_pages() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_PREVIEW_URL": "http://127.0.0.1:8081/",
                                  "CHANNEL_CATCH_UP_PAGES": "12"})
    assert (settings.telegram_preview_url, settings.channel_catch_up_pages) == ("http://127.0.0.1:8081", 12)


@pytest.mark.parametrize(("name", "value"), [
    ("TELEGRAM_PREVIEW_URL", "t.me"), ("TELEGRAM_PREVIEW_URL", "ftp://t.me"),
    ("CHANNEL_CATCH_UP_PAGES", "0"), ("CHANNEL_CATCH_UP_PAGES", "many"),
])
def test_channel_settings_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
