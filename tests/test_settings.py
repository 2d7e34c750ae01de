"""Settings from the environment: defaults, validation, and one clear line naming a bad variable."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.logs import RedactToken
from bot.settings import Settings, normalise_language

TOKEN = "123456:ABC-secret"
REPO = Path(__file__).resolve().parents[1]


def test_defaults_follow_the_contract() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.database_url == "sqlite:///data/bot.sqlite3"
    assert settings.feeds_file.parts[-2:] == ("config", "feeds.toml")
    assert settings.scan_interval_seconds == 300
    assert settings.admin_ids == frozenset()
    assert settings.translators == ("google",)
    assert settings.log_level == "INFO"
    assert settings.metrics_port is None and settings.log_format == "text"


def test_translator_chain_is_a_comma_list_in_order() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": " Libre, google ,mymemory,none",
                                  "LIBRETRANSLATE_URL": "http://127.0.0.1:5000", "MYMEMORY_EMAIL": "ops@ngo.example"})
    assert settings.translators == ("libre", "google", "mymemory", "none")
    assert settings.translator == "libre,google,mymemory,none"
    assert settings.mymemory_email == "ops@ngo.example"


def test_values_are_parsed() -> None:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "ADMIN_IDS": "1, 22,333",
        "SCAN_INTERVAL_SECONDS": "2", "TRANSLATOR": "LIBRE", "LIBRETRANSLATE_URL": "http://127.0.0.1:5000",
        "LOG_LEVEL": "debug", "DATABASE_URL": "postgres://u@db/x",
    })
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.admin_ids == {1, 22, 333}
    assert settings.scan_interval_seconds == 2
    assert settings.translators == ("libre",)
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "no-colon"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "SCAN_INTERVAL_SECONDS": "often"}, "SCAN_INTERVAL_SECONDS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "SCAN_INTERVAL_SECONDS": "-5"}, "SCAN_INTERVAL_SECONDS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "ADMIN_IDS": "alice"}, "ADMIN_IDS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "deepl"}, "TRANSLATOR"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "libre"}, "LIBRETRANSLATE_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "google,deepl"}, "TRANSLATOR"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "google,google"}, "TRANSLATOR"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "none,google"}, "TRANSLATOR"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TRANSLATOR": "google,libre"}, "LIBRETRANSLATE_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "MYMEMORY_EMAIL": "not-an-address"}, "MYMEMORY_EMAIL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "METRICS_PORT": "99999"}, "METRICS_PORT"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


@pytest.mark.parametrize(("code", "expected"), [("ar", "ar"), ("tr-TR", "tr"), ("RU", "ru"), ("pt-br", "en"),
                                                (None, "en")])
def test_telegram_language_codes(code: str | None, expected: str) -> None:
    assert normalise_language(code) == expected


def run_bot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=clean, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_missing_token_stops_with_one_line(tmp_path: Path) -> None:
    result = run_bot({}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_feeds_file_stops_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text('[[feeds]]\nname = "x"\nurl = "not a url"\nlang = "en"\n')
    result = run_bot({"TELEGRAM_BOT_TOKEN": TOKEN, "FEEDS_FILE": str(tmp_path / "feeds.toml"),
                      "KEYWORDS_FILE": str(REPO / "config" / "keywords.toml")}, tmp_path)
    assert result.returncode == 2
    assert "FEEDS_FILE" in result.stderr and "url" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_token_is_redacted_from_log_records() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",),
                               None)
    RedactToken(TOKEN).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<token>" in record.getMessage()


def test_config_files_default_to_the_packaged_copies_unless_the_folder_has_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    packaged = Settings.from_env({}, require_token=False)
    assert packaged.feeds_file.is_absolute() and packaged.feeds_file.samefile(REPO / "config" / "feeds.toml")
    assert Settings.from_env({"FEEDS_FILE": "config/feeds.toml"}, require_token=False).feeds_file == packaged.feeds_file

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "feeds.toml").write_text("", encoding="utf-8")
    local = Settings.from_env({}, require_token=False)
    assert local.feeds_file == Path("config/feeds.toml")  # the operator's own file, relative to the folder
    assert local.keywords_file.samefile(REPO / "config" / "keywords.toml")  # the others still packaged
    elsewhere = Settings.from_env({"FEEDS_FILE": str(tmp_path / "mine.toml")}, require_token=False)
    assert elsewhere.feeds_file == tmp_path / "mine.toml"  # never replaced, even when missing
