"""Turkish spellings of place names derived by rule from their English transliterations (pure).

Turkish media write Arabic place names with Turkish letters and vowels: Saraqib is "Serakib", Khan
Shaykhun "Han Şeyhun", Jisr al-Shughur "Cisr eş-Şuğur", al-Atarib "Etarib", al-Zawiya "Zaviye". The
gazetteer lists the common ones; these rules cover the spellings it misses, for story clustering only
(`/add` keeps to the listed names). Words are compared folded (ş is s, ğ is g, ı is i), so the rules map
an English spelling onto a folded Turkish one:
- digraphs and letters Turkish does not use: kh→h, sh→s, gh→g, dh→z, th→s, q→k, j→c, w→v, x→ks;
- doubled vowels written once: aa→a, ee→i, oo→u, ou→u;
- the Arabic "a" is often an "e": each of the first `_MAX_VOWEL_CHOICES` a's may be either;
- the article "al" takes the sun letter of the next word, as in Arabic: al-Shaykh is "eş-Şeyh".
A name of one word gets variants only when it has at least `SHORTEST` letters (short words collide with
common words); the words of a longer name always do, since the whole name must match.
"""

from __future__ import annotations

from itertools import product

SHORTEST = 5
_MAX_VOWEL_CHOICES = 3
_LETTERS = (("kh", "h"), ("sh", "s"), ("gh", "g"), ("dh", "z"), ("th", "s"), ("aa", "a"), ("ee", "i"),
            ("oo", "u"), ("ou", "u"), ("q", "k"), ("j", "c"), ("w", "v"), ("x", "ks"))


def turkish_spellings(word: str) -> frozenset[str]:
    """Folded Turkish spellings of one folded Latin word (the word itself included)."""
    if not word.isascii() or not word.isalpha():
        return frozenset({word})
    turkish = word
    for english, letter in _LETTERS:
        turkish = turkish.replace(english, letter)
    pieces = turkish.split("a")
    choices = min(len(pieces) - 1, _MAX_VOWEL_CHOICES)
    spellings = {word, turkish}
    for vowels in product("ae", repeat=choices):
        spelled = pieces[0]
        for index, piece in enumerate(pieces[1:]):
            spelled += (vowels[index] if index < choices else "a") + piece
        spellings.add(spelled)
    return frozenset(spellings)


_SUN_LETTERS = frozenset("tsdrzncl")


def article_spellings(next_word: str) -> frozenset[str]:
    """How Turkish writes the article "al" before `next_word` (folded): el, and es/er/ed... before a sun
    letter."""
    spellings = {"al", "el"}
    first = turkish_spellings(next_word)
    spellings |= {vowel + word[0] for word in first if word and word[0] in _SUN_LETTERS for vowel in "ae"}
    return frozenset(spellings)
