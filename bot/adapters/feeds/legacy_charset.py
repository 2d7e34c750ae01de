"""Guessing the legacy code page of undeclared, non-UTF-8 feed bytes.

The candidates are the code pages of the bot's languages: windows-1254 (Turkish, a superset of
iso-8859-9), windows-1256 (Arabic), windows-1251 (Russian) and windows-1252 (Western). Each
candidate decodes the words that contain non-ASCII bytes, and every such word scores +1 when it
looks like a word of a real script and -1 when it does not. A real word is written in one script
(mixing Arabic letters, Cyrillic and Latin inside one word only happens in a wrong decoding), has
a normal letter case (lower, Capitalised or UPPER: Arabic decoded as windows-1251 gives "ЕПбИ"),
and, for Latin, has at least one ASCII letter in four (Cyrillic in windows-1252 gives "Ñèðèéñêàÿ") and
free of the Icelandic letters ð þ ý, which is what Turkish ğ ş ı become in windows-1252. The
highest score wins; ties go to the code page of the feed's declared language, then to the order
above. Deterministic and dependency-free; only the first few thousand such words are looked at.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

__all__ = ["CANDIDATES", "legacy_charset", "plausibility"]

CANDIDATES: tuple[str, ...] = ("cp1254", "cp1256", "cp1251", "cp1252")
_BY_LANGUAGE = {"tr": "cp1254", "az": "cp1254", "ar": "cp1256", "fa": "cp1256", "ur": "cp1256", "ru": "cp1251",
                "uk": "cp1251", "be": "cp1251", "bg": "cp1251", "sr": "cp1251", "mk": "cp1251"}
_RUNS = re.compile(rb"[A-Za-z\x80-\xff]+")  # runs of letters; those without a non-ASCII byte are skipped
_MAX_RUNS = 4000
_UNLIKELY_LATIN = frozenset("ðþýÐÞÝ")


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250:
        return "latin"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFF00:
        return "arabic"
    return "other"


def _is_word_char(char: str) -> bool:
    # Marks and invisible format characters count: a wrong decoding often puts them mid-word
    # (Turkish ğ and ı in windows-1256 are an Arabic vowel sign and a left-to-right mark).
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Cf"


def _normal_case(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return True
    rest = "".join(letters[1:])
    return rest == rest.lower() or "".join(letters) == "".join(letters).upper()


def _real_word(word: str) -> bool:
    scripts = {_script(c) for c in word}
    if len(scripts) != 1:
        return False
    script = scripts.pop()
    if script == "arabic":
        return True
    if script == "other" or not _normal_case(word):
        return False
    if script == "cyrillic":
        return True
    non_ascii = sum(1 for c in word if ord(c) > 127)
    return not _UNLIKELY_LATIN.intersection(word) and (len(word) <= 2 or 4 * non_ascii <= 3 * len(word))


def _words(text: str) -> list[str]:
    words, current = [], []
    for char in text:
        if _is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [w for w in words if not w.isascii()]


def plausibility(runs: list[bytes], codec: str) -> int:
    """How much the byte runs look like real words when decoded with `codec` (+1/-1 per word)."""
    score = 0
    for run in runs:
        for word in _words(run.decode(codec, errors="replace")):
            score += 1 if _real_word(word) else -1
    return score


def legacy_charset(body: bytes, language: str | None = None) -> str:
    """The most plausible legacy code page for `body`; `language` (declared by the feed) breaks ties."""
    words = (match.group() for match in _RUNS.finditer(body))
    runs = list(islice((word for word in words if not word.isascii()), _MAX_RUNS))
    preferred = _BY_LANGUAGE.get((language or "").lower())
    order = sorted(CANDIDATES, key=lambda codec: codec != preferred)  # stable: the preferred one first
    scores = {codec: plausibility(runs, codec) for codec in order}
    return max(order, key=lambda codec: scores[codec])
