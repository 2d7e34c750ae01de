"""Parsers for the settings table (bot/settings.py): each turns one raw environment value into a typed value.

A parser is called with the variable's name and its raw text, already stripped; an unset or empty
variable arrives as the setting's default text. Bad values raise SettingsError with one line that names
the variable, what it must be, and what it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.errors import SettingsError

Parser = Callable[[str, str], Any]
"""(variable name, raw text) -> value."""

PACKAGED_CONFIG = Path(__file__).resolve().parent / "defaults"
"""The config files shipped inside the package: in a checkout `bot/defaults` is a symbolic link to
`config/`, which the wheel stores as real files (pyproject.toml, package-data)."""

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def text(name: str, raw: str) -> str:
    """Any text."""
    return raw


def optional_text(name: str, raw: str) -> str | None:
    """Any text; empty is None."""
    return raw or None


def number(low: float) -> Parser:
    """A number of at least `low`."""

    def parse(name: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, not {raw!r}") from None
        if not value >= low:
            raise SettingsError(f"{name} must be at least {low:g}, not {raw!r}")
        return value

    return parse


def whole(low: int) -> Parser:
    """A whole number of at least `low` (written "20" or "20.0")."""
    as_number = number(low)

    def parse(name: str, raw: str) -> int:
        return int(as_number(name, raw))

    return parse


def optional_number(low: float) -> Parser:
    """A number of at least `low`; empty is None."""
    as_number = number(low)

    def parse(name: str, raw: str) -> float | None:
        return as_number(name, raw) if raw else None

    return parse


def port(name: str, raw: str) -> int:
    """A TCP port."""
    value = number(1)(name, raw)
    if value != int(value) or value > 65535:
        raise SettingsError(f"{name} must be a whole number from 1 to 65535, not {raw!r}")
    return int(value)


def optional_port(name: str, raw: str) -> int | None:
    """A TCP port; empty is None (the feature is off)."""
    return port(name, raw) if raw else None


def flag(name: str, raw: str) -> bool:
    """true/false, yes/no, on/off, 1/0."""
    if raw.lower() in _TRUE or raw.lower() in _FALSE:
        return raw.lower() in _TRUE
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def one_of(*choices: str, upper: bool = False) -> Parser:
    """One of `choices` (case-insensitive)."""

    def parse(name: str, raw: str) -> str:
        value = raw.upper() if upper else raw.lower()
        if value not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
        return value

    return parse


def url(name: str, raw: str) -> str:
    """An http(s) URL, without a trailing slash."""
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"{name} must be an http(s) URL, not {raw!r}")
    return raw.rstrip("/")


def optional_url(name: str, raw: str) -> str | None:
    """An http(s) URL; empty is None."""
    return url(name, raw) if raw else None


def email(name: str, raw: str) -> str | None:
    """An e-mail address; empty is None."""
    if raw and not _EMAIL_RE.fullmatch(raw):
        raise SettingsError(f"{name} must be an e-mail address, not {raw!r}")
    return raw or None


def database_url(name: str, raw: str) -> str:
    """A SQLAlchemy URL for SQLite or PostgreSQL."""
    if not raw.startswith(("sqlite:", "postgres://", "postgresql:", "postgresql+")):
        raise SettingsError(f"{name} must start with sqlite:///, postgresql:// or postgres://")
    return raw


def token(name: str, raw: str) -> str:
    """A bot token as @BotFather gives it, or empty (checked where it is needed)."""
    if raw and (":" not in raw or any(ch.isspace() for ch in raw)):
        raise SettingsError(f"{name} is malformed: expected '<digits>:<secret>' from @BotFather")
    return raw


def webhook_secret(name: str, raw: str) -> str | None:
    """Telegram's rule for a webhook secret token: 1-256 of A-Z, a-z, 0-9, _ and -. Never echoed."""
    if raw and not _SECRET_RE.fullmatch(raw):
        raise SettingsError(f"{name} must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return raw or None


MAX_USER_ID_DIGITS = 16
"""Telegram user ids fit in 52 bits (at most 16 digits); "1_000", "١٢٣" and "-5" are not ids."""


def user_ids(name: str, raw: str) -> frozenset[int]:
    """Comma-separated Telegram user ids: positive, plain ASCII digits."""
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit() and len(part) <= MAX_USER_ID_DIGITS and int(part) > 0):
            raise SettingsError(f"{name} must be comma-separated Telegram user ids (positive, plain digits), "
                                f"not {part[:40]!r}")
        ids.add(int(part))
    return frozenset(ids)


def translator_chain(providers: tuple[str, ...]) -> Parser:
    """A comma list of providers tried in order; "none" only alone or last, no repeats."""

    def parse(name: str, raw: str) -> tuple[str, ...]:
        chain = tuple(part.strip().lower() for part in raw.split(",") if part.strip()) or ("none",)
        for provider in chain:
            if provider not in providers:
                raise SettingsError(f"{name} must be a comma list of {', '.join(providers)}, not {provider!r}")
        if len(set(chain)) != len(chain):
            raise SettingsError(f"{name} names a provider twice: {raw!r}")
        if "none" in chain[:-1]:
            raise SettingsError(f"{name}: 'none' can only come last (nothing after it is tried): {raw!r}")
        return chain

    return parse


def config_file(name: str, raw: str) -> Path:
    """A config file path. A relative path missing from the working directory is looked up among the
    packaged defaults, so that `config/feeds.toml` works from a checkout and from an installed wheel."""
    path = Path(raw)
    if path.is_absolute() or path.exists() or len(path.parts) != 2 or path.parts[0] != "config":
        return path
    shipped = PACKAGED_CONFIG / path.name
    return shipped if shipped.exists() else path
