"""Spellings of a place name in the other scripts, derived by rule when neither the gazetteer nor the
translator knows it: "Kafr Lusin" -> كفر لوسين, Кафр Лусин; "كفرلوسين" -> Kafrlusin, Кафрлусин.

The derived forms are approximations (short vowels are not written in Arabic, and are guessed from it);
the matcher's sound-alike key (bot.core.matching.text.sound_key) absorbs the differences, and these
spellings show the user, in /keywords, what the keyword will be matched as.
"""

from __future__ import annotations

import re

from bot.core.matching.text import fold, script_of

_ARTICLE = re.compile(r"^(?:al|el|as|ash|ad|ar|at|az|an)[-\s]", re.IGNORECASE)
_LATIN_TO_ARABIC_DIGRAPHS = (("kh", "خ"), ("sh", "ش"), ("gh", "غ"), ("th", "ث"), ("dh", "ذ"), ("ch", "تش"),
                             ("ou", "و"), ("oo", "و"), ("ee", "ي"), ("aa", "ا"), ("ei", "ي"), ("ay", "ي"),
                             ("ai", "ي"), ("aw", "و"))
_LATIN_TO_ARABIC = {"b": "ب", "t": "ت", "j": "ج", "h": "ح", "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف",
                    "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "w": "و", "y": "ي", "p": "ب", "v": "ف",
                    "g": "ج", "c": "ك", "x": "كس", "i": "ي", "u": "و", "o": "و"}
_LATIN_TO_CYRILLIC_DIGRAPHS = (("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("gh", "г"), ("zh", "ж"), ("th", "т"),
                               ("dh", "д"), ("ya", "я"), ("yu", "ю"), ("ou", "у"), ("oo", "у"), ("ee", "и"),
                               ("ay", "ай"), ("ey", "ей"), ("ei", "ей"))
_LATIN_TO_CYRILLIC = {"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
                      "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
                      "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "й", "z": "з"}
_ARABIC_TO_LATIN = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
                    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
                    "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
                    "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a", "ء": "", "ئ": "i", "ؤ": "u"}
_CYRILLIC_TO_LATIN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
                      "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
                      "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
                      "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
_VOWELS = "aeiou"
# Words that begin Syrian place names and are often written joined to the rest (كفرلوسين = كفر لوسين)
_ARABIC_NAME_PREFIXES = ("كفر", "دير", "تل", "عين", "خربة", "خربه", "جسر", "رأس", "راس", "باب", "أبو", "ابو",
                         "أم", "ام", "بيت", "جبل", "قصر", "معرة", "معره", "مزرعة", "تلة", "حي")
_MIN_REST = 3


def split_joined_name(name: str) -> str:
    """An Arabic place name written as one word, split after its leading word: كفرلوسين -> كفر لوسين."""
    if " " in name.strip():
        return name
    for prefix in sorted(_ARABIC_NAME_PREFIXES, key=len, reverse=True):
        if name.startswith(prefix) and len(name) - len(prefix) >= _MIN_REST:
            return f"{prefix} {name[len(prefix):]}"
    return name


def _latin_word_to_arabic(word: str) -> str:
    for digraph, letter in _LATIN_TO_ARABIC_DIGRAPHS:
        word = word.replace(digraph, "\0" + letter + "\0")
    out: list[str] = []
    parts = word.split("\0")
    for part in parts:
        if part and not part.isascii():
            out.append(part)
            continue
        for position, char in enumerate(part):
            first = not out and position == 0
            last = part is parts[-1] and position == len(part) - 1
            if char in "ae":
                if first:
                    out.append("ا")
                elif last:
                    out.append("ة" if char == "e" else "ا")
                continue
            out.append(("إ" if char == "i" else "أ") if first and char in "iuo" else _LATIN_TO_ARABIC.get(char, ""))
    text = "".join(ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1])  # Hassan -> حسن
    return text[:-2] + "ة" if text.endswith(("اح", "ةح")) and len(text) > 3 else text


def latin_to_arabic(name: str) -> str:
    """An Arabic-script spelling of a Latin-script name: "Kafr Lusin" -> كفر لوسين, "al-Nayrab" -> النيرب."""
    words = []
    for word in fold(name).split():
        article = _ARTICLE.match(word + " ")
        prefix = ""
        if article and len(word) > len(article.group()):
            word, prefix = word[len(article.group()):], "ال"
        words.append(prefix + _latin_word_to_arabic(word.strip("-")))
    return " ".join(w for w in words if w)


def latin_to_cyrillic(name: str) -> str:
    """A Russian spelling of a Latin-script name: "Kafr Lusin" -> Кафр Лусин."""
    words = []
    for word in fold(name).split():
        for digraph, letters in _LATIN_TO_CYRILLIC_DIGRAPHS:
            word = word.replace(digraph, letters)
        converted = "".join(_LATIN_TO_CYRILLIC.get(ch, ch if not ch.isascii() or ch == "-" else "") for ch in word)
        if converted.startswith("е"):
            converted = "э" + converted[1:]
        words.append("-".join(part[:1].upper() + part[1:] for part in converted.split("-")))
    return " ".join(w for w in words if w)


def arabic_to_latin(name: str) -> str:
    """A Latin spelling of an Arabic name, with a vowel guessed between its first two consonants."""
    words = []
    for word in name.split():
        prefix = ""
        if word.startswith("ال") and len(word) > 3:
            word, prefix = word[2:], "al-"
        latin = "".join(_ARABIC_TO_LATIN.get(ch, "") for ch in word)
        if len(latin) > 2 and latin[0] not in _VOWELS and latin[1] not in _VOWELS:
            latin = latin[0] + "a" + latin[1:]
        words.append(prefix + latin)
    return " ".join(w[:1].upper() + w[1:] for w in words if w.strip("-"))


def cyrillic_to_latin(name: str) -> str:
    """A Latin spelling of a Russian spelling: "Кафр-Лусин" -> Kafr-Lusin."""
    latin = "".join(_CYRILLIC_TO_LATIN.get(ch, ch if not ch.isalpha() else "") for ch in fold(name))
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())


def derived_spellings(name: str) -> dict[str, tuple[str, ...]]:
    """Spellings of `name` in the scripts it is not written in, per language ("ar", "ru", "en", "tr")."""
    script = script_of(fold(name))
    if script == "latin":
        latin = name.strip()
    elif script == "arabic":
        latin = arabic_to_latin(split_joined_name(name.strip()))
    elif script == "cyrillic":
        latin = cyrillic_to_latin(name)
    else:
        return {}
    derived: dict[str, list[str]] = {}
    if script != "arabic":
        derived["ar"] = [latin_to_arabic(latin)]
    if script != "cyrillic":
        derived["ru"] = [latin_to_cyrillic(latin)]
    if script != "latin":
        derived["en"] = [latin]
        derived["tr"] = [latin]
    words = latin.split()
    if len(words) == 2 and script != "arabic":  # "Kafr Lusin" is often written as one word (كفرلوسين)
        joined = words[0] + words[1].lower()
        derived.setdefault("en", []).append(joined)
        derived["ar"].append(latin_to_arabic(joined))
    if len(words) == 2 and script == "arabic":
        derived["ar"] = [" ".join(words_ar) for words_ar in [split_joined_name(name.strip()).split()]
                         if len(words_ar) == 2]
    return {lang: tuple(dict.fromkeys(v for v in values if v.strip())) for lang, values in derived.items()}
