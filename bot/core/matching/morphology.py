"""Inflection rules beyond stripping endings: Arabic plurals and duals, English verb forms, Turkish compound
nouns and consonant mutation, and telling a surname (al-Idlibi) from the adjective (Idlibi, الإدلبي).

Every word here is written folded, as bot.core.matching.text.fold leaves it (ة -> ه, ى -> ي, أ إ آ -> ا,
ئ -> ي, ؤ -> و; Latin lower case without diacritics). Each rule is measured on word lists in
tests/core/test_morphology.py: the forms it must join, and the words it must leave apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

# Arabic broken plurals of the words the keyword files list (singular -> plurals). Sound plurals (-ات,
# -ون, -ين) and duals (-ان, -تان, -تين) are found by rule and need no entry.
BROKEN_PLURALS: dict[str, tuple[str, ...]] = {
    "بندقيه": ("بنادق",), "شريحه": ("شرايح",), "رقاقه": ("رقايق",), "لغم": ("الغام",),
    "قذيفه": ("قذايف",), "صاروخ": ("صواريخ",), "حاجز": ("حواجز",), "معبر": ("معابر",),
    "قافله": ("قوافل",), "فرن": ("افران",), "مخبز": ("مخابز",), "قناص": ("قناصه",),
    "جثه": ("جثث",), "اسير": ("اسري",), "سجن": ("سجون",), "قريه": ("قري",), "مدينه": ("مدن",),
    "طريق": ("طرق",), "جسر": ("جسور",), "مدرسه": ("مدارس",), "بيت": ("بيوت",), "منزل": ("منازل",),
    "جندي": ("جنود",), "فصيل": ("فصايل",), "قتيل": ("قتلي",), "جريح": ("جرحي",), "ضحيه": ("ضحايا",),
    "شهيد": ("شهداء", "شهدا"), "هجوم": ("هجمات",), "زلزال": ("زلازل",), "حريق": ("حرايق",), "سيل": ("سيول",),
    "بير": ("ابار",), "سله": ("سلال",), "خيمه": ("خيام",), "مطر": ("امطار",), "نهر": ("انهار",),
    "سد": ("سدود",), "مدفع": ("مدافع",), "قنبله": ("قنابل",), "ذخيره": ("ذخاير",), "مقبره": ("مقابر",),
    "نقطه": ("نقاط",), "قاعده": ("قواعد",), "موقع": ("مواقع",), "طفل": ("اطفال",), "عامل": ("عمال",),
    "قايد": ("قاده",), "حقل": ("حقول",),
    "مصنع": ("مصانع",), "سوق": ("اسواق",), "مسجد": ("مساجد",), "كنيسه": ("كنايس",), "شارع": ("شوارع",),
    "مزرعه": ("مزارع",), "ارض": ("اراضي",), "محصول": ("محاصيل",), "دواء": ("ادويه",), "طبيب": ("اطباء",),
    "مريض": ("مرضي",), "مركز": ("مراكز",), "مكتب": ("مكاتب",), "سلاح": ("اسلحه",),
    "جيش": ("جيوش",), "ضابط": ("ضباط",), "عنصر": ("عناصر",), "رصاصه": ("رصاص",),
    "مشفي": ("مشافي",),
}
_MIN_ARABIC_STEM = 3
_MIN_ARABIC_PLURAL_STEM = 4  # -ون -ين -ان: shorter stems meet unrelated words (زيتون is not زيت ... +ون)


@cache
def _singular_of() -> dict[str, tuple[str, ...]]:
    inverse: dict[str, list[str]] = {}
    for singular, plurals in BROKEN_PLURALS.items():
        for plural in plurals:
            inverse.setdefault(plural, []).append(singular)
    return {plural: tuple(singulars) for plural, singulars in inverse.items()}


def arabic_singulars(word: str) -> tuple[str, ...]:
    """The singulars of a listed Arabic broken plural (بنادق -> بندقيه), else nothing."""
    return _singular_of().get(word, ())


def arabic_plural_stems(word: str) -> set[str]:
    """Singular forms of an Arabic plural or dual without clitics: دوريات/دوريتان -> دوريه, مقاتلين -> مقاتل."""
    stems = set(arabic_singulars(word))
    if word.endswith("ات") and len(word) - 2 >= _MIN_ARABIC_STEM:
        stems |= {word[:-2] + "ه", word[:-2]}
    for dual in ("تان", "تين"):
        if word.endswith(dual) and len(word) - 3 >= _MIN_ARABIC_STEM:
            stems.add(word[:-3] + "ه")
    for ending in ("ون", "ين", "ان"):
        if word.endswith(ending) and len(word) - 2 >= _MIN_ARABIC_PLURAL_STEM:
            stems.add(word[:-2])
    return stems


def arabic_keyword_singulars(word: str) -> set[str]:
    """Singular forms of a plural keyword (الغام -> لغم, دوريات -> دوريه); a bare stem only when it is long
    enough to be a word of its own (اشتباكات -> اشتباك, but غارات does not give غار, a cave)."""
    stems = set(arabic_singulars(word))
    if word.endswith("ات") and len(word) - 2 >= _MIN_ARABIC_STEM:
        stems.add(word[:-2] + "ه")
        if len(word) - 2 >= _MIN_ARABIC_PLURAL_STEM:
            stems.add(word[:-2])
    return stems | {stem for stem in arabic_plural_stems(word) if not word.endswith("ات")}


def english_verb_stems(word: str) -> set[str]:
    """Bases of English -ed, -ing and -ies/-ied forms: patrolled -> patrol, evacuating -> evacuate."""
    stems: set[str] = set()
    for suffix in ("ed", "ing"):
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            stems |= {stem, stem + "e"}
            if len(stem) >= 4 and stem[-1] == stem[-2]:
                stems.add(stem[:-1])
    for suffix in ("ies", "ied"):
        if word.endswith(suffix) and len(word) - 3 >= 3:
            stems.add(word[:-3] + "y")
    return stems


_TURKISH_POSSESSIVES = ("si", "su", "i", "u")
_TURKISH_SOFTENING = {"p": "b", "t": "d", "k": "g"}


def latin_keyword_stems(word: str, lang: str | None) -> set[str]:
    """Extra index forms of a Latin-script keyword: an English plural's singular, a Turkish compound noun's
    bare stem (karayolu -> karayol, as in karayolları), a Turkish final consonant softened (sokak -> sokag)."""
    stems: set[str] = set()
    if lang in (None, "en") and len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
        stems.add(word[:-1])
        if word.endswith("ies"):
            stems.add(word[:-3] + "y")
        elif word.endswith("es"):
            stems.add(word[:-2])
    if lang in (None, "tr"):
        for possessive in _TURKISH_POSSESSIVES:
            if word.endswith(possessive) and len(word) - len(possessive) >= 4:
                stems.add(word[: -len(possessive)])
                break
        if len(word) >= 4 and word[-1] in _TURKISH_SOFTENING:
            stems.add(word[:-1] + _TURKISH_SOFTENING[word[-1]])
    return stems


class _Token(Protocol):
    @property
    def norm(self) -> str: ...
    @property
    def script(self) -> str: ...
    @property
    def break_before(self) -> bool: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_LATIN_ARTICLES = frozenset({"al", "el", "аль", "эль", "ал", "ель"})
_ARABIC_NAME_WORDS = frozenset({"ابو", "ابن", "بن", "ام", "بنت", "عايله", "اسره", "ال"})


def _is_definite(written: str) -> bool:
    bare = written.lstrip("وف")
    return bare.startswith(("ال", "ٱل", "لل")) or bare[1:].startswith(("ال", "ٱل"))


def is_surname(tokens: Sequence[_Token], i: int, text: str) -> bool:
    """Whether tokens[i] of `text` is a relation name used as a surname: "Ulfat al-Idlibi", "ألفة الإدلبي".

    In Arabic a definite nisba (ال...ي) after a definite noun is an adjective (الريف الإدلبي); after an
    indefinite word (a given name such as ألفة, whose أل is not the article; a verb) or alone it names a
    person. In Latin and Cyrillic script the article written before it (al-, el-, аль-) marks the surname.
    """
    token = tokens[i]
    previous = tokens[i - 1] if i and not token.break_before else None
    if token.script == "arabic":
        word = token.norm
        if not (word.startswith("ال") and word.endswith("ي") and len(word) >= 6):
            return False
        if previous is None or previous.script != "arabic":
            return True
        written = text[previous.start:previous.end]
        return previous.norm in _ARABIC_NAME_WORDS or not _is_definite(written)
    return (
        previous is not None and previous.norm in _LATIN_ARTICLES and len(token.norm) >= 5
        and token.norm.endswith(("i", "и"))
    )


_RUSSIAN_SHORT_FORMS = {"а": ("ы", "е", "у", "ой"), "я": ("и", "е", "ю", "ей")}  # not мина -> мини
_RUSSIAN_CONSONANT_FORMS = ("а", "у", "е", "ом")


def russian_short_forms(word: str) -> set[str]:
    """Case forms of a short Russian keyword, too short to be found by taking endings off the text's words
    (Иса -> Исы, Исе; Хама -> Хамы; Баб -> Баба): generated from the keyword instead."""
    if len(word) > 4 or len(word) < 3 or not word.isalpha():
        return set()
    if word[-1] in _RUSSIAN_SHORT_FORMS:
        return {word[:-1] + ending for ending in _RUSSIAN_SHORT_FORMS[word[-1]]}
    if word[-1] not in "аеиоуыэюяьй":
        return {word + ending for ending in _RUSSIAN_CONSONANT_FORMS}
    return set()
