"""What a text tells about its event: kinds of incident, weekdays, ordinals, numbers and content words (pure).

The lexicon (bot/core/stories/lexicon.py) is compiled once per process into `Lexicon`; every reader takes
one text (its tokens, or its words from bot/core/stories/stems.py) and the language it is written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.core.matching.text import Token, arabic_forms, candidates, fold, tokenize
from bot.core.stories import lexicon
from bot.core.stories.inflection import inflected
from bot.core.stories.stems import StemTable, Word, words_of
from bot.core.stories.targets import TARGETS

_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?![.,]?\d)")  # "2,000", "100.000"
_MOST = 10_000_000
_DIGIT = re.compile(r"\d")
_CLOCK_OR_DECIMAL = re.compile(r"(?<!\d)\d+[:.,٫]\d+")  # (?<!\d): tried once per run of digits, not at each
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "янв", "фев", "мар",
           "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек", "of ")
_NOT_A_DATE = r"(?!\s*(?:" + "|".join(_MONTHS) + "))"
_DIGIT_ORDINALS = {
    "en": re.compile(r"(?<![\d.,])(\d{1,3})(?:st|nd|rd|th)\b" + _NOT_A_DATE),
    "ru": re.compile(r"(?<![\d.,])(\d{1,3})-(?:й|го|е|я|м|ое|ого|ом|ей|ю|ая|ый|ий)\b" + _NOT_A_DATE),
    "tr": re.compile(r"(?<![\d.,])(\d{1,3})(?:\.\s+(?=[^\W\d_])|['’]?(?:inci|uncu|nci|ncu)\b)"),
    "ar": re.compile(r"ال[ـ]?\s?(\d{1,3})(?![\d.,])"),
}
"""Ordinals in digits; the match is folded text (bot/core/matching/text.py's fold)."""
_STEM_LENGTH = 5  # Latin and Cyrillic words are compared by their first letters: a crude, language-blind stem


@dataclass(frozen=True)
class Lexicon:
    """The lexicon folded and ordered for matching, per language."""

    events: Mapping[str, StemTable]
    actors: Mapping[str, StemTable]
    weekdays: Mapping[str, StemTable]
    follow_ups: Mapping[str, StemTable]
    targets: Mapping[str, StemTable]
    ordinals: Mapping[str, Mapping[str, int]]
    number_words: Mapping[str, Mapping[str, int]]
    multipliers: Mapping[str, Mapping[str, int]]
    stop_words: Mapping[str, frozenset[str]]


def _words(table: Mapping[int, Mapping[str, tuple[str, ...]]], lang: str) -> dict[str, int]:
    """Folded word -> number; Arabic numbers also without their final ه (three is ثلاثة before a masculine
    noun, ثلاث before a feminine one: "ثلاث طائرات")."""
    words = {fold(word): number for number, by_lang in table.items() for word in by_lang.get(lang, ())}
    if lang == "ar":
        words |= {word[:-1]: number for word, number in words.items() if word.endswith("ه") and len(word) > 3
                  and number <= 10 and word[:-1] not in words}
    return words


def _ordinal_forms(lang: str) -> dict[str, int]:
    forms = _words(lexicon.ORDINALS, lang)
    if lang == "ru":
        forms = {stem + ending: number for stem, number in forms.items() for ending in lexicon.RU_ORDINAL_ENDINGS}
    return forms


@cache
def compiled_lexicon() -> Lexicon:
    """The lexicon of bot/core/stories/lexicon.py, folded like news text, its event words with their
    inflected forms (bot/core/stories/inflection.py); computed once, then shared."""
    langs = ("ar", "tr", "ru", "en")
    events = inflected(lexicon.EVENTS)
    return Lexicon(
        events={lang: StemTable.build(events, lang) for lang in langs},
        actors={lang: StemTable.build(lexicon.ACTORS, lang) for lang in langs},
        weekdays={lang: StemTable.build(lexicon.WEEKDAYS, lang) for lang in langs},
        follow_ups={lang: StemTable.build(lexicon.FOLLOW_UPS, lang) for lang in langs},
        targets={lang: StemTable.build(TARGETS, lang) for lang in langs},
        ordinals={lang: _ordinal_forms(lang) for lang in langs},
        number_words={lang: _words(lexicon.NUMBER_WORDS, lang) for lang in langs},
        multipliers={lang: _words(lexicon.MULTIPLIERS, lang) for lang in langs},
        stop_words={lang: frozenset(fold(word) for word in lexicon.STOP_WORDS.get(lang, ())) for lang in langs},
    )


def event_kinds(words: Sequence[Word], lang: str) -> frozenset[str]:
    """Kinds of incident the text names (airstrike, shelling, patrol...)."""
    return _table(compiled_lexicon().events, lang).kinds(words)


_CONVOY = "convoy"
_CARRIED = frozenset({"patrol", "aid"})


def carried(kinds: frozenset[str], context: frozenset[str]) -> frozenset[str]:
    """`kinds` with a convoy read as the patrol or the aid the whole text (`context`) speaks of: the column of
    a joint patrol ("колонна") and a convoy of aid trucks are that patrol and that aid, not a military
    convoy of their own."""
    carriers = _CARRIED & context
    return (kinds - {_CONVOY}) | carriers if _CONVOY in kinds and carriers else kinds


def actors(words: Sequence[Word], lang: str) -> frozenset[str]:
    """Parties the text names (russia, turkey, regime, opposition, kurdish, un, us)."""
    return _table(compiled_lexicon().actors, lang).kinds(words)


def weekdays(words: Sequence[Word], lang: str) -> frozenset[str]:
    """Weekdays the text names ("mon" ... "sun")."""
    return _table(compiled_lexicon().weekdays, lang).kinds(words)


def follow_ups(words: Sequence[Word], lang: str) -> frozenset[str]:
    """What makes the text a follow-up of an earlier report ("toll": a toll rose; "denial")."""
    return _table(compiled_lexicon().follow_ups, lang).kinds(words)


def targets(words: Sequence[Word], lang: str) -> frozenset[str]:
    """Specific targets or cargo the text names (bot/core/stories/targets.py: "water", "bakery"...)."""
    return _table(compiled_lexicon().targets, lang).kinds(words)


def lexicon_word(token: Token, lang: str) -> bool:
    """Whether the token is a word of the lexicon in `lang`: a stop word, a number, or a word of an incident,
    a party, a weekday, a follow-up or a target (such words are no names: bot/core/stories/names.py)."""
    return _lexicon_word(token.norm, token.script, lang)


@lru_cache(maxsize=65536)  # the same words come back in report after report
def _lexicon_word(norm: str, script: str, lang: str) -> bool:
    token = Token(norm, 0, len(norm), script)
    known = compiled_lexicon()
    forms = candidates(token, lang) | {token.norm}
    if any(form in table for form in forms for table in (known.stop_words.get(lang, frozenset()),
                                                         known.number_words.get(lang, {}),
                                                         known.ordinals.get(lang, {}))):
        return True
    words = words_of([token], lang)
    return any(_table(tables, lang).kinds(words) for tables in (known.events, known.actors, known.weekdays,
                                                                 known.follow_ups, known.targets))


def _table(tables: Mapping[str, StemTable], lang: str) -> StemTable:
    return tables.get(lang) or _EMPTY


_EMPTY = StemTable((), {}, {})


def ordinals(text: str, tokens: Sequence[Token], lang: str) -> frozenset[int]:
    """Ordinals two to ten in words ("the fourth joint patrol"), and from 2 to 999 in digits as each language
    writes them: "21st", "21-е", "21.", "21'inci", "الـ21" (not a date: "21st of April", "21-го марта")."""
    table = compiled_lexicon().ordinals.get(lang, {})
    found = {table[form] for token in tokens for form in candidates(token, lang) | {token.norm} if form in table}
    return frozenset(found | {number for number in _digit_ordinals(text, lang) if number >= 2})


def numbers(text: str, tokens: Sequence[Token], lang: str) -> frozenset[int]:
    """Counts the text gives (casualties, trucks, kilometres), in digits ("2,000" and "2.000" too) or number
    words, times a multiplier after them ("2 bin", "три тысячи"); years, clock times, decimals and ordinals in
    digits ("21.") are left out."""
    grouped = {int(re.sub(r"\D", "", match.group())) for match in _THOUSANDS.finditer(text)}
    words = tokenize(_CLOCK_OR_DECIMAL.sub(" ", _THOUSANDS.sub(" ", text)))  # digits inside codes ("M4") are not tokens
    table = compiled_lexicon().number_words.get(lang, {})
    multipliers = compiled_lexicon().multipliers.get(lang, {})
    counted = {n for n in grouped if 2 <= n <= _MOST}
    index = 0
    while index < len(words):
        token = words[index]
        index += 1
        if token.norm.isdigit():
            if len(token.norm) > 6:
                continue
            value = int(token.norm)
            year = len(token.norm) == 4 and 1900 <= value <= 2100
        else:
            named = [table[form] for form in _number_forms(token) if form in table]  # the least stripped first
            if not named and _feminine_dual(token):
                named = [2]
            if not named:
                continue
            value, year = named[0], False
        times = [multipliers[form] for form in _number_forms(words[index]) if form in multipliers] \
            if index < len(words) else []
        if times:
            value, year, index = value * times[0], False, index + 1
        if 2 <= value <= _MOST and not year:
            counted.add(value)
    return frozenset(counted - _digit_ordinals(text, lang))


@lru_cache(maxsize=8)  # read twice for one text: by ordinals() and by numbers()
def _digit_ordinals(text: str, lang: str) -> frozenset[int]:
    pattern = _DIGIT_ORDINALS.get(lang)
    if pattern is None or not _DIGIT.search(text):
        return frozenset()
    return frozenset(int(match.group(1)) for match in pattern.finditer(fold(text)))


_DUAL_ENDINGS = ("تين", "تان")  # the dual of a noun in ة (folded ه): خيمة -> خيمتان، خيمتين
_MIN_DUAL_STEM = 3  # "مرتين" (twice), "بوتين" (Putin), "كتان" are no count of things
_NOT_DUAL = "س"  # "باكستان", "بستان", "ستين" (sixty): words in -ستان/-ستين are no duals


def _feminine_dual(token: Token) -> bool:
    """Whether an Arabic word is the dual of a feminine noun, a count of two ("خيمتين" two tents, "سيارتان"
    two cars): a word ending in تين/تان after a stem of `_MIN_DUAL_STEM` letters or more (its proclitics
    stripped) that does not end in س."""
    if token.script != "arabic":
        return False
    bare = min((form for form in arabic_forms(token.norm) | {token.norm} if token.norm.endswith(form)), key=len)
    stem = bare[:-3]
    return bare.endswith(_DUAL_ENDINGS) and len(stem) >= _MIN_DUAL_STEM and not stem.endswith(_NOT_DUAL)


def _number_forms(token: Token) -> list[str]:
    """The token and, in Arabic, its forms without proclitics only, longest first ("والفي" is 2,000 before it
    is anything else; "عشرات", tens of, is not "عشره" ten: a plural of a number is no count)."""
    if token.script != "arabic":
        return [token.norm]
    forms = {form for form in arabic_forms(token.norm) if token.norm.endswith(form)} | {token.norm}
    return sorted(forms, key=lambda form: (-len(form), form))


def content_words(tokens: Sequence[Token], lang: str) -> frozenset[str]:
    """Stems of the words that carry meaning, prefixed with the language ("en:shell")."""
    stop = compiled_lexicon().stop_words.get(lang, frozenset())
    stems = set()
    for token in tokens:
        if len(token.norm) < 3 or token.norm in stop or token.norm.isdigit():
            continue
        if token.script == "arabic":
            forms = sorted(arabic_forms(token.norm), key=lambda form: (len(form), form))
            stem = forms[0] if forms[0] not in stop else ""
        else:
            stem = token.norm[:_STEM_LENGTH]
        if stem:
            stems.add(f"{lang}:{stem}")
    return frozenset(stems)
