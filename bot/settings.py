"""Settings from the environment (and a `.env` file), validated once at start.

`SETTINGS` is the one table of every setting: variable, field, default, parser and a one-line meaning.
Parsing is done from it; `.env.example` and the README's settings tables are checked against it by
tests/test_settings_table.py. A missing or malformed value raises SettingsError naming the variable,
which `python -m bot` prints as one line before exiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import setting_parsers as p
from bot.core.models import LANGUAGES
from bot.errors import SettingsError

TRANSLATORS = ("google", "mymemory", "libre", "none")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


@dataclass(frozen=True)
class Setting:
    """One environment variable: the Settings field it fills, its default text, its parser, its meaning."""

    env: str
    field: str
    default: str
    parse: p.Parser
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("TELEGRAM_BOT_TOKEN", "telegram_token", "", p.token,
            "token from @BotFather (required for run); never logged"),
    Setting("TELEGRAM_API_URL", "telegram_api_url", "https://api.telegram.org", p.url,
            "root of a Bot API server (a local Bot API server, or a fake in tests)"),
    Setting("DATABASE_URL", "database_url", "sqlite:///data/bot.sqlite3", p.database_url,
            "SQLite (WAL) by default; postgresql://... or Heroku's postgres://..."),
    Setting("FEEDS_FILE", "feeds_file", "config/feeds.toml", p.config_file, "the feeds to scan"),
    Setting("KEYWORDS_FILE", "keywords_file", "config/keywords.toml", p.config_file,
            "built-in keyword concepts given to every new subscriber"),
    Setting("PLACES_FILE", "places_file", "config/places.toml", p.config_file, "gazetteer of places used by /add"),
    Setting("TOPICS_FILE", "topics_file", "config/topics.toml", p.config_file,
            "topic lexicon: subjects /add follows in all four languages"),
    Setting("SCAN_INTERVAL_SECONDS", "scan_interval_seconds", "300", p.number(0.2), "how often due feeds are checked"),
    Setting("SEND_INTERVAL_SECONDS", "send_interval_seconds", "1", p.number(0.05), "how often the outbox is drained"),
    Setting("ADMIN_IDS", "admin_ids", "", p.user_ids, "comma-separated Telegram user ids allowed admin commands"),
    Setting("TRANSLATOR", "translators", "google", p.translator_chain(TRANSLATORS),
            "comma list of google, mymemory, libre, none, tried in order (the first that works wins)"),
    Setting("LIBRETRANSLATE_URL", "libretranslate_url", "", p.optional_url,
            "a (self-hosted) LibreTranslate server, required when TRANSLATOR names libre"),
    Setting("LIBRETRANSLATE_API_KEY", "libretranslate_api_key", "", p.optional_text, "its API key, if it needs one"),
    Setting("MYMEMORY_EMAIL", "mymemory_email", "", p.email, "e-mail sent to MyMemory for its higher free quota"),
    Setting("TRANSLATION_TIMEOUT_SECONDS", "translation_timeout_seconds", "10", p.number(0.1),
            "deadline per translation provider; past all of them the alert goes out untranslated"),
    Setting("MAX_ENTRY_AGE_HOURS", "max_entry_age_hours", "72", p.number(0.01), "older entries are never alerted"),
    Setting("MAX_KEYWORDS_PER_USER", "max_keywords_per_user", "50", p.whole(1), "keywords one subscriber may follow"),
    Setting("MAX_ALERTS_PER_SCAN", "max_alerts_per_scan", "20", p.whole(1),
            "new stories one chat is alerted about per scan cycle; the rest come as one summary message"),
    Setting("FETCH_CONCURRENCY", "fetch_concurrency", "20", p.whole(1), "feeds fetched at once"),
    Setting("FETCH_MAX_BYTES", "fetch_max_bytes", "5000000", p.whole(1024), "a larger feed body is refused"),
    Setting("FETCH_PER_HOST_CONCURRENCY", "fetch_per_host_concurrency", "2", p.whole(1),
            "requests to one host at once"),
    Setting("ALLOW_PRIVATE_FEED_ADDRESSES", "allow_private_feed_addresses", "false", p.flag,
            "true lets feeds live on loopback or private addresses (tests)"),
    Setting("FEED_MAX_INTERVAL_SECONDS", "feed_max_interval_seconds", "1800", p.number(1),
            "the longest a healthy feed goes unchecked"),
    Setting("FEED_FAILURE_ALERT_MINUTES", "feed_failure_alert_minutes", "60", p.number(0),
            "admins hear about a feed failing this long"),
    Setting("FEED_LEASE_SECONDS", "feed_lease_seconds", "", p.optional_number(1),
            "how long a claimed feed stays with its worker (empty: 3 scan intervals, at least 120)"),
    Setting("SEND_RATE_PER_SECOND", "send_rate_per_second", "29", p.number(0.1), "messages per second overall"),
    Setting("SEND_CONCURRENCY", "send_concurrency", "8", p.whole(1), "requests to Telegram in flight at once"),
    Setting("SEND_LEASE_SECONDS", "send_lease_seconds", "60", p.number(1),
            "how long claimed alerts stay with a sender"),
    Setting("WORKER_HEARTBEAT_SECONDS", "worker_heartbeat_seconds", "10", p.number(0.2),
            "how often a process records itself in the workers table"),
    Setting("WEBHOOK_URL", "webhook_url", "", p.optional_url, "public https URL for updates (empty: long polling)"),
    Setting("WEBHOOK_SECRET", "webhook_secret", "", p.webhook_secret,
            "secret token required on webhook requests (empty: derived from the bot token)"),
    Setting("WEBHOOK_LISTEN", "webhook_listen", "0.0.0.0", p.text, "address the webhook server binds"),
    Setting("PORT", "port", "8443", p.port, "port the webhook server listens on"),
    Setting("TELEGRAM_PREVIEW_URL", "telegram_preview_url", "https://t.me", p.url,
            "where public channel previews are read (<url>/s/<name>); a fake in tests"),
    Setting("CHANNEL_CATCH_UP_PAGES", "channel_catch_up_pages", "5", p.whole(1),
            "preview pages followed back to catch up on a channel's missed posts"),
    Setting("METRICS_PORT", "metrics_port", "", p.optional_port,
            "serve Prometheus metrics on this port at /metrics (empty: off)"),
    Setting("LOG_LEVEL", "log_level", "INFO", p.one_of(*LOG_LEVELS, upper=True), "DEBUG, INFO, WARNING or ERROR"),
    Setting("LOG_FORMAT", "log_format", "text", p.one_of(*LOG_FORMATS), "text, or json for one JSON object a line"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment (one field per row of SETTINGS)."""

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
    translators: tuple[str, ...]
    libretranslate_url: str | None
    libretranslate_api_key: str | None
    mymemory_email: str | None
    translation_timeout_seconds: float
    max_entry_age_hours: float
    max_keywords_per_user: int
    max_alerts_per_scan: int
    fetch_concurrency: int
    fetch_max_bytes: int
    fetch_per_host_concurrency: int
    allow_private_feed_addresses: bool
    feed_max_interval_seconds: float
    feed_failure_alert_minutes: float
    feed_lease_seconds: float | None
    send_rate_per_second: float
    send_concurrency: int
    send_lease_seconds: float
    worker_heartbeat_seconds: float
    webhook_url: str | None
    webhook_secret: str | None
    webhook_listen: str
    port: int
    telegram_preview_url: str
    channel_catch_up_pages: int
    metrics_port: int | None
    log_level: str
    log_format: str
    default_language: str = "en"

    @property
    def translator(self) -> str:
        """TRANSLATOR as one comma list (for logs)."""
        return ",".join(self.translators)

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, require_token: bool = True) -> Settings:
        """Parse every row of SETTINGS and check the rules between them; SettingsError names the first bad one."""
        values: dict[str, Any] = {s.field: s.parse(s.env, env.get(s.env, "").strip() or s.default) for s in SETTINGS}
        settings = cls(**values)
        if require_token and not settings.telegram_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it")
        if "libre" in settings.translators and not settings.libretranslate_url:
            raise SettingsError("LIBRETRANSLATE_URL is required when TRANSLATOR names libre")
        return settings


def normalise_language(code: str | None, default: str = "en") -> str:
    """A Telegram language_code ("ar", "pt-br", "RU") reduced to one of ours, else `default`."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else default


def env_example() -> str:
    """The text of `.env.example`: every setting with its meaning and its default (tests keep them equal)."""
    lines = ["# Settings of the Idlib / M4 alert bot: copy to .env and change what you need.",
             "# Every variable is optional except TELEGRAM_BOT_TOKEN; an empty value means the default.", ""]
    for setting in SETTINGS:
        lines += [f"# {setting.meaning}", f"{setting.env}={setting.default}", ""]
    return "\n".join(lines)
