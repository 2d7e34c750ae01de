"""Loading the interface catalogues: the gettext .po files under bot/locale, read at start-up.

The catalogues are standard gettext (`bot/locale/<lang>/LC_MESSAGES/bot.po`, template
`bot/locale/messages.pot`), maintained with Babel's `pybabel extract/update` (README "Interface
languages"). They are read from the .po files with Babel and compiled in memory, so a fresh clone or
a `pip install .` needs no build step and can never run stale compiled .mo files. Fuzzy entries are
left out (shown in English) until a translator confirms them.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.core.interface.i18n import INTERFACE_LANGUAGES, Texts, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "bot"
SOURCE_LANGUAGE = "en"


def catalogue_path(lang: str, directory: Path = LOCALE_DIR) -> Path:
    """Where the .po file of `lang` lives."""
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, lang: str) -> Catalog:
    """The parsed .po file (raises OSError if missing, babel's PoFileError if malformed)."""
    with path.open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN, abort_invalid=True)


def compile_catalogue(catalog: Catalog) -> gettext.GNUTranslations:
    """A ready-to-use gettext object for a parsed catalogue, with its plural rules."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Catalogues:
    """The interface texts of every language; unknown languages get English."""

    def __init__(self, translations: Mapping[str, Translations]) -> None:
        self._texts = {lang: Texts(lang, found) for lang, found in translations.items()}
        self._texts.setdefault(SOURCE_LANGUAGE, Texts(SOURCE_LANGUAGE))

    @classmethod
    def load(cls, directory: Path = LOCALE_DIR, languages: Iterable[str] = INTERFACE_LANGUAGES) -> Catalogues:
        """Read and compile the catalogue of every language but English (the message ids are English)."""
        translations = {
            lang: compile_catalogue(read_catalogue(catalogue_path(lang, directory), lang))
            for lang in languages
            if lang != SOURCE_LANGUAGE
        }
        return cls(translations)

    def texts(self, lang: str) -> Texts:
        """The interface in `lang`, else in English."""
        return self._texts.get(lang) or self._texts[SOURCE_LANGUAGE]

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language with an interface, English first."""
        return (SOURCE_LANGUAGE, *sorted(lang for lang in self._texts if lang != SOURCE_LANGUAGE))
