"""The bot's description and short description exist in every interface language, within Telegram's limits."""

from __future__ import annotations

import pytest

from bot.core.interface.bot_profile import (
    DESCRIPTION,
    DESCRIPTION_LIMIT,
    SHORT_DESCRIPTION,
    SHORT_DESCRIPTION_LIMIT,
    bot_profile,
)
from bot.core.interface.i18n import INTERFACE_LANGUAGES, Texts
from bot.i18n import Catalogues

CATALOGUES = Catalogues.load()


@pytest.mark.parametrize("lang", INTERFACE_LANGUAGES)
def test_each_language_has_its_own_profile_within_the_limits(lang: str) -> None:
    profile = bot_profile(CATALOGUES.texts(lang))
    assert 0 < len(profile.description) <= DESCRIPTION_LIMIT
    assert 0 < len(profile.short_description) <= SHORT_DESCRIPTION_LIMIT
    assert not profile.description.endswith("…") and not profile.short_description.endswith("…")
    assert "/add" in profile.description and "/settings" in profile.description
    if lang != "en":
        assert profile.description != DESCRIPTION and profile.short_description != SHORT_DESCRIPTION


class Wordy:
    """A catalogue whose translator wrote far too much."""

    def gettext(self, message: str, /) -> str:
        return message * 10

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular


def test_an_overlong_translation_is_cut_to_the_limit_rather_than_refused_by_telegram() -> None:
    profile = bot_profile(Texts("tr", Wordy()))
    assert len(profile.description) == DESCRIPTION_LIMIT and profile.description.endswith("…")
    assert len(profile.short_description) == SHORT_DESCRIPTION_LIMIT
