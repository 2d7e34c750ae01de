"""Interface texts in the subscriber's language: gettext lookup, formatting and right-to-left layout.

Pure: the catalogues are loaded elsewhere (bot/i18n.py) and handed in as `Translations` objects, the
standard library's `gettext.GNUTranslations` or anything with the same two methods. Message ids are
English and use `str.format` placeholders ("Removed “{label}”."); they are found in the code by Babel
through the names `gettext`, `ngettext` and `N_` (see babel.cfg and README "Interface languages").
"""

from __future__ import annotations

import gettext as stdlib_gettext
import html
from typing import Protocol

from bot.core.interface.bidi import is_rtl, isolate, isolate_ltr, rtl_lines
from bot.core.models import LANGUAGES

INTERFACE_LANGUAGES: tuple[str, ...] = LANGUAGES
AUTONYMS = {"ar": "العربية", "tr": "Türkçe", "ru": "Русский", "en": "English"}
"""Each language in itself: how a language picker names them, whatever the interface language."""


class Translations(Protocol):
    """What a compiled catalogue offers (gettext.GNUTranslations and NullTranslations have it)."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated later, where it is shown."""
    return message


LANGUAGE_NAMES = {"ar": N_("Arabic"), "tr": N_("Turkish"), "ru": N_("Russian"), "en": N_("English")}


def interface_language(stored: str | None, telegram_code: str | None) -> str:
    """The language to talk to a user in: their own choice, else Telegram's language_code, else English."""
    if stored in INTERFACE_LANGUAGES:
        return stored
    base = (telegram_code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in INTERFACE_LANGUAGES else "en"


class Texts:
    """The interface of one language: translated, filled-in texts, laid out for the script's direction.

    Placeholder values are inserted as given in left-to-right languages; in right-to-left ones each
    one-line value becomes an isolate, so a Latin keyword or a number cannot reorder the Arabic around it.
    """

    def __init__(self, lang: str, translations: Translations | None = None) -> None:
        self.lang = lang
        self.rtl = is_rtl(lang)
        self._translations: Translations = translations or stdlib_gettext.NullTranslations()

    def gettext(self, message: str, /, **params: object) -> str:
        """`message` translated, with `params` filled in (str.format) when there are any."""
        return self._fill(self._translations.gettext(message), params)

    def markup(self, message: str, /, **params: object) -> str:
        """Like `gettext` for Telegram HTML: the translated text is escaped, `params` must already be HTML.

        Mark the literal with N_ (`t.markup(N_("Matched: {quotes}"), ...)`) so that Babel extracts it.
        """
        return self._fill(html.escape(self._translations.gettext(message), quote=False), params)

    def ngettext(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """The plural form for `count`, with `{count}` and `params` filled in."""
        return self._fill(self._translations.ngettext(singular, plural, count), {"count": count, **params})

    def language(self, code: str) -> str:
        """The name of a language in this interface language ("Arabic", "العربية", "Arapça"...)."""
        name = LANGUAGE_NAMES.get(code)
        return self.gettext(name) if name else code

    def isolate(self, text: str) -> str:
        """Content of unknown direction (names, titles) kept whole in right-to-left text."""
        return isolate(text) if self.rtl else text

    def ltr(self, text: str) -> str:
        """Left-to-right content (links, codes) kept whole in right-to-left text."""
        return isolate_ltr(text) if self.rtl else text

    def layout(self, text: str) -> str:
        """A whole message made ready to send: in right-to-left languages every line starts right to left."""
        return rtl_lines(text) if self.rtl else text

    def _fill(self, template: str, params: dict[str, object]) -> str:
        if not params:
            return template
        return template.format(**{name: self._value(value) for name, value in params.items()})

    def _value(self, value: object) -> object:
        if self.rtl and isinstance(value, str) and "\n" not in value:
            return isolate(value)
        return value
