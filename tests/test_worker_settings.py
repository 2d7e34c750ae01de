"""Settings of scaled deployments (roles, webhook, leases, heartbeats): defaults, parsing, and a bad
value stopping the bot with one line naming the variable (and never echoing a secret)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import Settings

TOKEN = "123456:ABC-secret"
REPO = Path(__file__).resolve().parents[1]


def test_defaults_keep_one_polling_process() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert (settings.webhook_listen, settings.port) == ("0.0.0.0", 8443)
    assert settings.feed_lease_seconds is None and settings.worker_heartbeat_seconds == 10


def test_values_are_parsed() -> None:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.org/hook/", "WEBHOOK_SECRET": "a-Z_9",
        "WEBHOOK_LISTEN": "127.0.0.1", "PORT": "5000", "FEED_LEASE_SECONDS": "45", "WORKER_HEARTBEAT_SECONDS": "2.5",
    })
    assert settings.webhook_url == "https://bot.example.org/hook"
    assert (settings.webhook_secret, settings.webhook_listen, settings.port) == ("a-Z_9", "127.0.0.1", 5000)
    assert (settings.feed_lease_seconds, settings.worker_heartbeat_seconds) == (45, 2.5)


@pytest.mark.parametrize(("name", "value"), [
    ("PORT", "0"), ("PORT", "70000"), ("PORT", "80.5"), ("PORT", "http"),
    ("WEBHOOK_URL", "bot.example.org/hook"), ("WEBHOOK_URL", "ftp://bot.example.org"),
    ("WEBHOOK_SECRET", "has space"), ("WEBHOOK_SECRET", "x" * 257), ("WEBHOOK_SECRET", "dots.not.allowed"),
    ("FEED_LEASE_SECONDS", "0.5"), ("WORKER_HEARTBEAT_SECONDS", "soon"),
])
def test_a_bad_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
    if name == "WEBHOOK_SECRET":
        assert value not in str(caught.value)


def test_an_unknown_role_is_refused_by_the_command_line() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--role", "scanner"], cwd=REPO, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": TOKEN}, timeout=60)
    assert result.returncode == 2 and "--role" in result.stderr and "worker" in result.stderr
