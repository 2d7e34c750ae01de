"""Settings for feed scheduling and health: FEED_MAX_INTERVAL_SECONDS and FEED_FAILURE_ALERT_MINUTES."""

from __future__ import annotations

import pytest

from bot.errors import SettingsError
from bot.settings import Settings

TOKEN = "123456:TEST-token"


def test_defaults() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.feed_max_interval_seconds == 1800
    assert settings.feed_failure_alert_minutes == 60


def test_values_may_be_fractional() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "FEED_MAX_INTERVAL_SECONDS": "600",
                                  "FEED_FAILURE_ALERT_MINUTES": "0.05"})
    assert (settings.feed_max_interval_seconds, settings.feed_failure_alert_minutes) == (600, 0.05)


@pytest.mark.parametrize(("name", "value"), [
    ("FEED_MAX_INTERVAL_SECONDS", "soon"), ("FEED_MAX_INTERVAL_SECONDS", "0"),
    ("FEED_FAILURE_ALERT_MINUTES", "-1"), ("FEED_FAILURE_ALERT_MINUTES", "an hour"),
])
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
