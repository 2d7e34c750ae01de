"""Per-language normalisation and tokenisation of news text for matching.

Every token keeps its span in the original text so alerts can quote the matched words. Folding is
symmetric (keywords and text go through the same code): case (Turkish dotted and dotless i meet),
diacritics, Arabic alef/hamza forms, ى/ي, ة/ه, tatweel, Arabic-Indic digits, ё/е, and look-alike
letters in codes such as "М4" (Cyrillic М) or "م٤". Morphology is handled by `candidates`, which
lists the forms a token may stand for once clitics and inflectional endings are stripped (the rules
themselves are in bot.core.matching.morphology), and `token_forms`, which also knows that "al-Idlibi"
after a given name is a surname, not the town.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.matching import morphology

_ARABIC_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_PERSIAN_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_CHAR_MAP: dict[int, str] = {
    **_ARABIC_DIGITS,
    **_PERSIAN_DIGITS,
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ـ"): "",  # tatweel
    ord("İ"): "i",
    ord("I"): "i",
    ord("ı"): "i",
    ord("ё"): "е",
    ord("Ё"): "е",
    ord("’"): "'",
    ord("ʼ"): "'",
    ord("`"): "'",
    ord("´"): "'",
}

# Letters that look like Latin ones; applied only inside tokens that carry digits (road codes).
_LOOKALIKES = str.maketrans(
    {"а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
     "т": "t", "у": "y", "х": "x", "م": "m"}
)
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
# Invisible format characters (Unicode Cf) that sites and copy-paste leave inside words: soft hyphen,
# zero-width space, ZWNJ, ZWJ, LRM/RLM, word joiner, bidi embeddings and isolates, BOM. They belong to
# the token (its span covers them) and `fold` drops them, so "Id\u00adlib" matches "Idlib".
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_WORD = rf"(?:[^\W_]|[{_MARKS}{_INVISIBLE}])+"
_TOKEN = re.compile(rf"{_WORD}(?:['’ʼ]{_WORD})?")
_HARD_BREAK = re.compile(r"[.,;:!?()\[\]{}|\n\r\t•،؛؟]")  # quotes and dashes stay soft
_SENTENCE_END = re.compile(r"[.!?\n\r؟]")
_CODE_LETTERS = {"m", "м", "م", "ام"}

_ARABIC_PROCLITICS = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")
_ARABIC_SUFFIXES = ("يين", "يون", "يات", "يه", "ي", "ه")
_RUSSIAN_ENDINGS = tuple(sorted(
    """ский ская ское ские ского ской скому ском ским скую ских скими скоe
    ого его ому ему ыми ими ой ей ом ем ая яя ую юю ое ее ые ие ый ий ых их
    ами ями ах ях ам ям ов ев ия ии ие ию ией ью ья ье ьи а я у ю е и ы о ь""".split(),
    key=len, reverse=True))
# written folded (ı -> i, ü -> u, ö -> o), as the words they are taken off
_TURKISH_SUFFIXES = tuple(sorted(
    """ndaki ndeki ndan nden daki deki taki teki dan den tan ten nda nde lar ler nin nun yla yle la le
    da de ta te li lu ki in un ya ye yi yu na ne ni nu si su a e i u""".split(), key=len, reverse=True))
_ENGLISH_SUFFIXES = ("es", "s", "is", "i")  # plurals; "Idlibi", "Idlibis" (nisba adjectives in English)


@dataclass(frozen=True)
class Token:
    """A normalised token with its span in the original text."""

    norm: str
    start: int
    end: int
    script: str  # "arabic", "cyrillic", "latin" or "other"
    break_before: bool = False  # punctuation separates it from the previous token
    sentence: int = 0  # how many sentence ends (. ! ? ؟ or a new line) come before it


def fold(text: str) -> str:
    """Case, diacritics and letter-form folding shared by every language."""
    out: list[str] = []
    for char in text.translate(_CHAR_MAP):
        if char in "йЙ":  # a letter of its own in Russian, not и with a breve
            out.append("й")
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.category(part) not in ("Mn", "Cf"):
                out.append(part.lower())
    return "".join(out)


def script_of(token: str) -> str:
    """The writing system of a token's letters."""
    for char in token:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("ARABIC"):
                return "arabic"
            if name.startswith("CYRILLIC"):
                return "cyrillic"
            if name.startswith("LATIN"):
                return "latin"
    return "other"


def tokenize(text: str) -> list[Token]:
    """Split text into folded tokens, joining road codes written apart ("M-4", "إم 4", "М 4")."""
    tokens: list[Token] = []
    previous_end = 0
    sentence = 0
    for found in _TOKEN.finditer(text):
        raw = found.group()
        base = re.split("['’ʼ]", raw)[0]
        norm = fold(base)
        if not norm:
            continue
        gap = text[previous_end:found.start()]
        hard = bool(tokens) and bool(_HARD_BREAK.search(gap))
        if tokens and _SENTENCE_END.search(gap):
            sentence += 1
        if any(ch.isdigit() for ch in norm) and any(ch.isalpha() for ch in norm):
            norm = norm.translate(_LOOKALIKES)
        if (
            norm.isdigit() and tokens and not hard and len(gap.strip(" -‐‑–—")) == 0
            and tokens[-1].norm in _CODE_LETTERS and "أ" not in text[tokens[-1].start:tokens[-1].end]
        ):
            last = tokens.pop()
            tokens.append(Token("m" + norm, last.start, found.end(), "latin", last.break_before, last.sentence))
        else:
            tokens.append(Token(norm, found.start(), found.end(), script_of(norm), hard, sentence))
        previous_end = found.end()
    return tokens


def phrase_problem(phrase: str) -> str | None:
    """Why a keyword phrase could never match ("is empty", "has no letters or digits"), or None if it can.

    A phrase matches through its tokens, so one whose text yields none (spaces, punctuation, tatweel,
    a lone apostrophe or diacritic) is refused wherever phrases come in: config files and /add."""
    if not phrase.strip():
        return "is empty"
    if not tokenize(phrase):
        return "has no letters or digits, so it could never match"
    return None


def _strip_repeatedly(word: str, suffixes: tuple[str, ...], min_stem: int, depth: int) -> set[str]:
    forms = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for form in frontier:
            for suffix in suffixes:
                if form.endswith(suffix) and len(form) - len(suffix) >= min_stem:
                    nxt.add(form[: -len(suffix)])
        forms |= nxt
        frontier = nxt
    return forms


def arabic_forms(word: str) -> set[str]:
    """Forms of an Arabic token without its proclitics (و ف ب ل ك ال) and nisba/plural suffixes."""
    forms = {word}
    for prefix_len in {len(m.group()) for m in [_ARABIC_PROCLITICS.match(word)] if m}:
        if prefix_len and len(word) - prefix_len >= 3:
            forms.add(word[prefix_len:])
    # a single clitic letter before a word that itself starts with ال or ل ("للاذقيه" = ل + اللاذقيه)
    if len(word) > 3 and word[0] in "وفبلك":
        forms.add(word[1:])
        if word[1] in "بلك" and len(word) > 4:
            forms.add(word[2:])
    if word.startswith("لل") and len(word) > 4:
        forms.add("ال" + word[2:])
    stems = set()
    for form in forms:
        stems |= _strip_repeatedly(form, _ARABIC_SUFFIXES, 3, 1)
        stems |= morphology.arabic_plural_stems(form)
    return stems


def candidates(token: Token, lang: str | None = None, *, nisba: bool = True) -> set[str]:
    """Every form the token may be an inflection of, for text in language `lang`.

    With `nisba` False the relation ending (الإدلبي, Idlibi) is not taken off: the word is a surname.
    """
    word = token.norm
    if token.script == "arabic":
        forms = arabic_forms(word)
        return forms if nisba else {form for form in forms if not _is_nisba_of(word, form)}
    if token.script == "cyrillic":
        forms = _russian_forms(word) | _strip_repeatedly(word, ("ск",), 4, 1)
        return forms if nisba else {word}
    if token.script != "latin":
        return {word}
    forms = set()
    if lang in (None, "tr"):
        forms |= _strip_repeatedly(word, _TURKISH_SUFFIXES, 4, 3)
    if lang != "tr":
        forms |= _strip_repeatedly(word, _ENGLISH_SUFFIXES, 4, 1) | morphology.english_verb_stems(word)
    return forms if nisba else {word}


def _russian_forms(word: str) -> set[str]:
    """The word and its stem without a case ending, also under a reflexive -ся/-сь (неразорвавшиеся)."""
    forms = _strip_repeatedly(word, _RUSSIAN_ENDINGS, 4, 1)
    if word.endswith(("ся", "сь")) and len(word) > 6:
        forms |= _strip_repeatedly(word[:-2], _RUSSIAN_ENDINGS, 4, 1)
    return forms


def _is_nisba_of(word: str, form: str) -> bool:
    return word.endswith("ي") and not form.endswith("ي") and word.removesuffix("ي").endswith(form)


def token_forms(tokens: Sequence[Token], text: str, lang: str | None = None) -> list[set[str]]:
    """`candidates` of every token of `text`, except that a surname such as al-Idlibi keeps its relation ending."""
    return [candidates(token, lang, nisba=not morphology.is_surname(tokens, i, text))
            for i, token in enumerate(tokens)]


def keyword_forms(token: Token, lang: str | None = None) -> set[str]:
    """Base forms of a keyword token: itself, and its stem where the language inflects the ending."""
    word = token.norm
    if token.script == "arabic":
        forms = {word}
        if word.startswith("ال") and len(word) > 4:
            forms.add(word[2:])
        return forms | {singular for form in forms for singular in morphology.arabic_keyword_singulars(form)}
    if token.script == "cyrillic":
        return _russian_forms(word) | morphology.russian_short_forms(word)
    if token.script == "latin":
        return {word} | morphology.latin_keyword_stems(word, lang)
    return {word}


__all__ = ["Token", "arabic_forms", "candidates", "fold", "keyword_forms", "script_of", "token_forms", "tokenize"]


_LATIN_DIGRAPHS = (("kh", "h"), ("sh", "s"), ("ch", "s"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("ph", "f"),
                   ("ts", "s"), ("dj", "j"), ("дж", "ж"))
_CONSONANTS = str.maketrans({
    # Latin (after folding): vowels and glides carry no weight in transliterated Arabic names
    **{v: "" for v in "aeiouyw'"}, "q": "k", "c": "j", "x": "ks", "v": "f",
    # Cyrillic
    **{v: "" for v in "аеиоуыэюяйьъ"}, "б": "b", "в": "f", "г": "g", "д": "d", "ж": "j", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "h", "ц": "s",
    "ч": "s", "ш": "s", "щ": "s",
    # Arabic: long vowels, hamza and 'ayn vanish in transliteration
    **{v: "" for v in "اويءع"}, "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
})
MIN_SOUND_KEY = 4


def sound_key(form: str) -> str:
    """The consonant skeleton of a name, equal across scripts and transliterations.

    "Saraqib", "Serakib", "Saraqeb", "Саракиб" and "سراقب" all give "srkb". Vowels, glides, hamza
    and 'ayn are dropped (transliterations disagree on them), close sounds merge, doubles collapse.
    """
    word = form.removesuffix("ه") if len(form) > 3 else form  # ta marbuta is not pronounced in names
    for digraph, single in _LATIN_DIGRAPHS:
        word = word.replace(digraph, single)
    skeleton = word.translate(_CONSONANTS)
    collapsed = [ch for i, ch in enumerate(skeleton) if ch.isalpha() and (i == 0 or ch != skeleton[i - 1])]
    return "".join(collapsed)
