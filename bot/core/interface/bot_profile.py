"""The bot's profile in each interface language: the description shown in an empty chat before /start,
and the short description shown on its profile page and in shared links (setMyDescription and
setMyShortDescription, registered per language at start)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.interface.i18n import N_, Texts

DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120
"""Telegram's limits, in characters."""

DESCRIPTION = N_(
    "I watch Arabic, Turkish, Russian and English news for reports on Idlib and Syria's M4 highway, and send "
    "each one to you as an alert in your language, with its source and link.\n\n"
    "Press Start to subscribe. /add follows more places or words, /settings sets your languages, quiet hours "
    "and digests, /help lists everything.")
SHORT_DESCRIPTION = N_("News alerts on Idlib and the M4 highway from Arabic, Turkish, Russian and English media, "
                       "in your language.")


@dataclass(frozen=True)
class BotProfile:
    """The profile texts of one language, within Telegram's limits."""

    description: str
    short_description: str


def bot_profile(t: Texts) -> BotProfile:
    """The profile in the language of `t` (no bidi marks: Telegram lays profile texts out itself)."""
    return BotProfile(_within(t.gettext(DESCRIPTION), DESCRIPTION_LIMIT),
                      _within(t.gettext(SHORT_DESCRIPTION), SHORT_DESCRIPTION_LIMIT))


def _within(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
