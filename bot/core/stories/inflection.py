"""Inflected forms of the lexicon's event words, derived by rule so the lexicon need not list them (pure).

The lexicon (bot/core/stories/lexicon.py) lists one or two forms of each word; news text uses others. Stems
match any word they begin (Arabic after its proclitics), so what is missing is a form that does not begin
with the listed one:
- Arabic verbs put a prefix before the stem: the imperfect (ي ت ن: "يعتقل" he arrests, "تنفجر" it explodes).
  From a verbal noun of the forms افتعال/انفعال (اعتقال, انفجار, اشتباك) or إفعال (إغلاق) the verb is derived
  first (اعتقل, انفجر, أغلق); a stem of the forms تفعّل/تفاعل (تظاهر, تسلل) takes the prefixes as it is, and
  also the participle's م ("متظاهر" a demonstrator, "متسلل" an infiltrator; not for the other forms, whose
  participles are often nouns of their own: مجتمع "community" is not a meeting).
- Arabic sound feminine plurals of singulars in ه: "عبوه" gives "عبوات" (not the reverse: singulars are
  the more ambiguous, "مسيره" is a march as often as a drone). Only the first word of an entry is
  inflected: the others are usually adjectives in agreement.
- English headlines use the present where the lexicon lists the past ("bus collides", "truck overturns",
  "protesters march"): a word ending in "ed" also gives its "-s" and "-ing" forms (with or without the "e"
  before the "d": "collides", "overturns", "marches").
A derived form is dropped when another kind's entry already begins it ("storms" is weather, not the
"stormed" of fighting), and entries of the kind "" (words kept from being misread) are left as listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_IMPERFECT = ("ي", "ت", "ن")
_PARTICIPLE = "م"
_ALEF = "ا"
_TA = "ت"
_MIN_ARABIC = 3
_MIN_ENGLISH_PAST = 6


def _arabic_verbs(word: str) -> set[str]:
    """The past-tense verb(s) a verbal noun or verb stem stands for (itself when it is one)."""
    if word.startswith("ال"):
        return set()
    if len(word) == 6 and word[0] == _ALEF and word[4] == _ALEF:  # افتعال / انفعال -> افتعل
        return {word[:4] + word[5]}
    if len(word) == 5 and word[0] == _ALEF and word[3] == _ALEF:  # إفعال -> أفعل
        return {word[:3] + word[4]}
    if len(word) >= 4 and word[0] in (_ALEF, _TA):
        return {word}
    return set()


def arabic_forms(word: str) -> frozenset[str]:
    """A word of an Arabic entry and the forms derived from it (see the module's docstring)."""
    forms = {word}
    for verb in _arabic_verbs(word):
        forms.add(verb)
        body = verb[1:] if verb[0] == _ALEF else verb
        if len(body) >= _MIN_ARABIC:
            forms |= {prefix + body for prefix in _IMPERFECT}
            if verb[0] == _TA:
                forms.add(_PARTICIPLE + body)
    if len(word) >= 4 and word.endswith("ه"):
        forms.add(word[:-1] + "ات")
    return frozenset(forms)


def english_forms(word: str) -> frozenset[str]:
    """A word of an English entry and, for a past form in "ed", its present and "-ing" forms."""
    if len(word) < _MIN_ENGLISH_PAST or not word.endswith("ed") or not word.isalpha():
        return frozenset({word})
    base = word[:-2]
    return frozenset({word, word[:-1] + "s", base + "s", base + "ing"})


def _first_word_forms(phrase: str, lang: str) -> list[str]:
    exact = phrase.endswith("=")
    if exact:
        return [phrase]
    first, space, rest = phrase.partition(" ")
    derive = arabic_forms if lang == "ar" else english_forms if lang == "en" else None
    if derive is None:
        return [phrase]
    return [form + space + rest for form in sorted(derive(first))]


def inflected(table: Mapping[str, Mapping[str, Iterable[str]]]) -> dict[str, dict[str, tuple[str, ...]]]:
    """`table` (kind -> language -> phrases) with the derived forms of every phrase added."""
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, by_lang in table.items():
        result[kind] = {}
        for lang, phrases in by_lang.items():
            listed = tuple(phrases)
            if not kind:
                result[kind][lang] = listed
                continue
            others = tuple(stem.rstrip("=") for other, other_langs in table.items() if other != kind
                           for stem in other_langs.get(lang, ()) if " " not in stem)
            derived = [form for phrase in listed for form in _first_word_forms(phrase, lang)
                       if form in listed or not form.split(" ")[0].startswith(others)]
            result[kind][lang] = tuple(dict.fromkeys((*listed, *derived)))
    return result
