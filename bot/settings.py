"""Settings from the environment (and a `.env` file), validated once at start.

A missing or malformed value raises SettingsError naming the variable, which `python -m bot`
prints as one line before exiting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.core.models import LANGUAGES
from bot.errors import SettingsError

TRANSLATORS = ("google", "mymemory", "libre", "none")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    telegram_token: str
    telegram_api_url: str
    database_url: str
    feeds_file: Path
    keywords_file: Path
    places_file: Path
    topics_file: Path
    scan_interval_seconds: float
    send_interval_seconds: float
    admin_ids: frozenset[int]
    translator: str
    libretranslate_url: str | None
    libretranslate_api_key: str | None
    translation_timeout_seconds: float
    max_entry_age_hours: float
    max_keywords_per_user: int
    fetch_concurrency: int
    fetch_max_bytes: int
    log_level: str
    default_language: str = "en"
    send_concurrency: int = 8
    send_lease_seconds: float = 60.0
    send_rate_per_second: float = 29.0
    fetch_per_host_concurrency: int = 2
    allow_private_feed_addresses: bool = False
    feed_max_interval_seconds: float = 1800.0
    feed_failure_alert_minutes: float = 60.0
    feed_lease_seconds: float | None = None
    """How long a claimed feed stays with its worker; None: max(120 s, 3 scan intervals)."""
    worker_heartbeat_seconds: float = 10.0
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    telegram_preview_url: str = "https://t.me"
    """Where public channels' web previews are read (<url>/s/<name>); a fake server in tests."""
    channel_catch_up_pages: int = 5
    """Preview pages (about 20 posts each) read back at most to catch up on a channel after downtime."""

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, require_token: bool = True) -> Settings:
        """Parse and validate; raises SettingsError naming the first bad variable."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if require_token and not token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it")
        if token and (":" not in token or any(ch.isspace() for ch in token)):
            raise SettingsError("TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret>' from @BotFather")
        translator = env.get("TRANSLATOR", "google").strip().lower() or "google"
        if translator not in TRANSLATORS:
            raise SettingsError(f"TRANSLATOR must be one of {', '.join(TRANSLATORS)}, not {translator!r}")
        libre_url = _optional_url(env, "LIBRETRANSLATE_URL")
        if translator == "libre" and not libre_url:
            raise SettingsError("LIBRETRANSLATE_URL is required when TRANSLATOR=libre")
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
        database_url = env.get("DATABASE_URL", "").strip() or "sqlite:///data/bot.sqlite3"
        if not database_url.startswith(("sqlite:", "postgres://", "postgresql:", "postgresql+")):
            raise SettingsError("DATABASE_URL must start with sqlite:///, postgresql:// or postgres://")
        return cls(
            telegram_token=token,
            telegram_api_url=_url(env, "TELEGRAM_API_URL", "https://api.telegram.org"),
            database_url=database_url,
            feeds_file=_config_file(env, "FEEDS_FILE", "feeds.toml"),
            keywords_file=_config_file(env, "KEYWORDS_FILE", "keywords.toml"),
            places_file=_config_file(env, "PLACES_FILE", "places.toml"),
            topics_file=_config_file(env, "TOPICS_FILE", "topics.toml"),
            scan_interval_seconds=_number(env, "SCAN_INTERVAL_SECONDS", 300, low=0.2),
            send_interval_seconds=_number(env, "SEND_INTERVAL_SECONDS", 1, low=0.05),
            admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
            translator=translator,
            libretranslate_url=libre_url,
            libretranslate_api_key=env.get("LIBRETRANSLATE_API_KEY", "").strip() or None,
            translation_timeout_seconds=_number(env, "TRANSLATION_TIMEOUT_SECONDS", 10, low=0.1),
            max_entry_age_hours=_number(env, "MAX_ENTRY_AGE_HOURS", 72, low=0.01),
            max_keywords_per_user=int(_number(env, "MAX_KEYWORDS_PER_USER", 50, low=1)),
            fetch_concurrency=int(_number(env, "FETCH_CONCURRENCY", 20, low=1)),
            fetch_max_bytes=int(_number(env, "FETCH_MAX_BYTES", 5_000_000, low=1024)),
            log_level=log_level,
            send_concurrency=int(_number(env, "SEND_CONCURRENCY", 8, low=1)),
            send_lease_seconds=_number(env, "SEND_LEASE_SECONDS", 60, low=1),
            send_rate_per_second=_number(env, "SEND_RATE_PER_SECOND", 29, low=0.1),
            fetch_per_host_concurrency=int(_number(env, "FETCH_PER_HOST_CONCURRENCY", 2, low=1)),
            allow_private_feed_addresses=_flag(env, "ALLOW_PRIVATE_FEED_ADDRESSES", False),
            feed_max_interval_seconds=_number(env, "FEED_MAX_INTERVAL_SECONDS", 1800, low=1),
            feed_failure_alert_minutes=_number(env, "FEED_FAILURE_ALERT_MINUTES", 60, low=0),
            feed_lease_seconds=_optional_number(env, "FEED_LEASE_SECONDS", low=1),
            worker_heartbeat_seconds=_number(env, "WORKER_HEARTBEAT_SECONDS", 10, low=0.2),
            webhook_url=_optional_url(env, "WEBHOOK_URL"),
            webhook_secret=_webhook_secret(env),
            webhook_listen=env.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            port=_port(env),
            telegram_preview_url=_url(env, "TELEGRAM_PREVIEW_URL", "https://t.me"),
            channel_catch_up_pages=int(_number(env, "CHANNEL_CATCH_UP_PAGES", 5, low=1)),
        )


SOURCE_CONFIG = Path(__file__).resolve().parents[1] / "config"


def _config_file(env: Mapping[str, str], name: str, filename: str) -> Path:
    """The variable's path if set; else config/<filename> in the working directory, else in the checkout."""
    raw = env.get(name, "").strip()
    if raw:
        return Path(raw)
    local = Path("config") / filename
    if not local.exists() and (SOURCE_CONFIG / filename).exists():
        return SOURCE_CONFIG / filename
    return local


def _number(env: Mapping[str, str], name: str, default: float, *, low: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not value >= low:
        raise SettingsError(f"{name} must be at least {low:g}, not {raw!r}")
    return value


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise SettingsError(f"{name} must be true or false, not {env[name].strip()!r}")


def _optional_number(env: Mapping[str, str], name: str, *, low: float) -> float | None:
    return _number(env, name, 0, low=low) if env.get(name, "").strip() else None


def _port(env: Mapping[str, str]) -> int:
    value = _number(env, "PORT", 8443, low=1)
    if value != int(value) or value > 65535:
        raise SettingsError(f"PORT must be a whole number from 1 to 65535, not {env['PORT'].strip()!r}")
    return int(value)


_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _webhook_secret(env: Mapping[str, str]) -> str | None:
    """Telegram's rule for a webhook secret token: 1-256 of A-Z, a-z, 0-9, _ and -. Never echoed."""
    raw = env.get("WEBHOOK_SECRET", "").strip()
    if not raw:
        return None
    if not _SECRET_RE.fullmatch(raw):
        raise SettingsError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return raw


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    return _optional_url(env, name) or default


def _optional_url(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"{name} must be an http(s) URL, not {raw!r}")
    return raw.rstrip("/")


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            raise SettingsError(f"ADMIN_IDS must be comma-separated Telegram user ids, not {part!r}") from None
    return frozenset(ids)


def normalise_language(code: str | None, default: str = "en") -> str:
    """A Telegram language_code ("ar", "pt-br", "RU") reduced to one of ours, else `default`."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else default
