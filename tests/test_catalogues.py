"""The interface catalogues are complete: every text in the code is translated into every language.

Message ids are extracted from the bot package exactly as translators do it (Babel with babel.cfg),
so adding a text without translating it, or translating with a lost or extra {placeholder}, fails here.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.core.interface.i18n import INTERFACE_LANGUAGES
from bot.i18n import LOCALE_DIR, SOURCE_LANGUAGE, Catalogues, catalogue_path, read_catalogue

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in INTERFACE_LANGUAGES if lang != SOURCE_LANGUAGE]
PLURALS = {"ar": 6, "tr": 2, "ru": 3}

MessageId = str | tuple[str, ...]


def code_messages() -> dict[MessageId, str]:
    """Every message id in the code, with where it is (as `pybabel extract -F babel.cfg ... bot` finds them)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[MessageId, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT / "bot"), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, f"bot/{filename}:{line}")
    return found


def entries(catalog: Catalog) -> Iterator[tuple[MessageId, object]]:
    for message in catalog:
        if message.id:
            yield message.id, message


def fields(text: str) -> set[str]:
    """The names of the str.format placeholders in `text`."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def in_code() -> dict[MessageId, str]:
    messages = code_messages()
    assert len(messages) > 50, "extraction found the interface texts"
    return messages


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_in_the_code_is_translated(lang: str, in_code: dict[MessageId, str]) -> None:
    catalog = read_catalogue(catalogue_path(lang), lang)
    translated = {key: message for key, message in entries(catalog)}
    problems = []
    for key, where in in_code.items():
        message = translated.get(key)
        if message is None:
            problems.append(f"{where}: {key!r} is missing from {lang}/LC_MESSAGES/bot.po (run pybabel update)")
        elif message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]):
            problems.append(f"{where}: {key!r} is untranslated or fuzzy in {lang}")
    assert not problems, "\n".join(problems)


def test_the_template_is_up_to_date(in_code: dict[MessageId, str]) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = {key for key, _ in entries(read_po(handle))}
    assert template == set(in_code), (
        "bot/locale/messages.pot differs from the code; run pybabel extract (README, Interface languages): "
        f"missing {sorted(map(str, set(in_code) - template))}, stale {sorted(map(str, template - set(in_code)))}"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang: str) -> None:
    catalog = read_catalogue(catalogue_path(lang), lang)
    assert catalog.num_plurals == PLURALS[lang]
    problems = []
    for key, message in entries(catalog):
        if isinstance(key, str):
            if fields(key) != fields(message.string):
                problems.append(f"{key!r}: {sorted(fields(key))} became {sorted(fields(message.string))}")
            continue
        expected = fields(key[0]) | fields(key[1])
        if len(message.string) != catalog.num_plurals:
            problems.append(f"{key[0]!r}: {len(message.string)} plural forms instead of {catalog.num_plurals}")
        for form in message.string:
            # a form for exactly one or two may say the number in words ("منذ ساعة"), nothing else may go
            if fields(form) - expected or (expected - {"count"}) - fields(form):
                problems.append(f"{key[0]!r}: form {form!r} does not keep {sorted(expected)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_fill_in_and_differ_from_english(lang: str, in_code: dict[MessageId, str]) -> None:
    texts = Catalogues.load().texts(lang)
    singular = [key for key in in_code if isinstance(key, str) and fields(key)]
    for key in singular:
        filled = texts.gettext(key, **{name: "X" for name in fields(key)})
        assert "{" not in filled, f"{lang}: {key!r} left a placeholder unfilled: {filled!r}"
    changed = [key for key in in_code if isinstance(key, str) and texts.gettext(key) != key]
    assert len(changed) > 0.9 * len(in_code), f"{lang}: most texts read differently from English"


def test_plural_forms_follow_each_language() -> None:
    catalogues = Catalogues.load()
    hours = ("{count} hour ago", "{count} hours ago")
    assert catalogues.texts("ru").ngettext(*hours, 1) == "1 час назад"
    assert catalogues.texts("ru").ngettext(*hours, 3) == "3 часа назад"
    assert catalogues.texts("ru").ngettext(*hours, 11) == "11 часов назад"
    assert catalogues.texts("ru").ngettext(*hours, 21) == "21 час назад"
    assert catalogues.texts("ar").ngettext(*hours, 2) == "منذ ساعتين"
    assert catalogues.texts("ar").ngettext(*hours, 5) == "منذ 5 ساعات"
    assert catalogues.texts("ar").ngettext(*hours, 11) == "منذ 11 ساعة"
    assert catalogues.texts("tr").ngettext(*hours, 5) == "5 saat önce"
    assert catalogues.texts("en").ngettext(*hours, 1) == "1 hour ago"


def test_unknown_languages_get_english() -> None:
    catalogues = Catalogues.load()
    assert catalogues.texts("pt").gettext("Saved.") == "Saved."
    assert catalogues.languages == ("en", "ar", "ru", "tr")


def test_catalogues_ship_with_the_package() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.po"' in pyproject, "the .po files are package data (pip install . ships them)"
    for lang in TRANSLATED:
        assert catalogue_path(lang).is_relative_to(ROOT / "bot" / "locale")
