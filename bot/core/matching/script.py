"""Guess a text's language from its writing system, before any statistical detection.

Arabic script means Arabic, Cyrillic means Russian and Latin letters that only Turkish uses
(ğ, ş, ı, İ) mean Turkish; the bot follows only these four languages, so the script is the
strongest and cheapest signal. Only letters are counted: digits, punctuation, symbols and
whitespace are ignored. Standard library only, no I/O.
"""

from __future__ import annotations

import re

__all__ = ["script_language"]

# A script must account for at least this share of the letters to decide the language.
DOMINANCE = 0.5

# Letters only Turkish (among our languages and its big Latin neighbours) uses.
_TURKISH_SPECIFIC = frozenset("ğĞşŞıİ")
# Letters Turkish shares with German, French, Albanian...: they count only with Turkish words.
_TURKISH_SHARED = frozenset("çÇöÖüÜ")
_TURKISH_WORDS = frozenset(
    {
        "ve", "bir", "bu", "için", "ile", "olarak", "gibi", "daha", "çok", "ama", "değil", "sonra",
        "kadar", "göre", "üzerinde", "yeni", "olan", "iki", "ilk", "son", "sürüyor", "böyle",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def _is_arabic(ch: str) -> bool:
    code = ord(ch)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x0870 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


def _is_cyrillic(ch: str) -> bool:
    code = ord(ch)
    return (
        0x0400 <= code <= 0x052F  # Cyrillic, Cyrillic Supplement
        or 0x1C80 <= code <= 0x1C8F  # Extended-C
        or 0x2DE0 <= code <= 0x2DFF  # Extended-A
        or 0xA640 <= code <= 0xA69F  # Extended-B
    )


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return (
        ("a" <= ch <= "z")
        or ("A" <= ch <= "Z")
        or 0x00C0 <= code <= 0x024F
        or 0x1E00 <= code <= 0x1EFF
    )


def _looks_turkish(text: str) -> bool:
    if any(ch in _TURKISH_SPECIFIC for ch in text):
        return True
    if not any(ch in _TURKISH_SHARED for ch in text):
        return False
    words = {word.lower() for word in _WORD.findall(text)}
    return not words.isdisjoint(_TURKISH_WORDS)


def script_language(text: str) -> str | None:
    """Return "ar", "ru" or "tr" when the letters of `text` make the language evident, else None.

    "ar" when Arabic-script letters are at least half of all letters, "ru" likewise for Cyrillic,
    "tr" when Latin letters dominate and the text contains ğ, ş, ı or İ (or ç, ö, ü together with a
    common Turkish word). Plain Latin text (English, or Turkish without its special letters) gives
    None and is left to statistical detection.
    """
    arabic = cyrillic = latin = total = 0
    for ch in text:
        if not ch.isalpha():
            continue
        total += 1
        if _is_arabic(ch):
            arabic += 1
        elif _is_cyrillic(ch):
            cyrillic += 1
        elif _is_latin(ch):
            latin += 1
    if not total:
        return None
    if arabic / total >= DOMINANCE and arabic >= cyrillic and arabic >= latin:
        return "ar"
    if cyrillic / total >= DOMINANCE and cyrillic >= latin:
        return "ru"
    if latin / total >= DOMINANCE and _looks_turkish(text):
        return "tr"
    return None
