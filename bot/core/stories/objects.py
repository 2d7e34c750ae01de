"""What a protest's title names as opposed is not what the report is about (pure).

"Residents reject Russian patrols", "Rally on the M4 against the patrols", "Devriyelere karşı eylem",
"Митинг против патрулей", "أهالي إدلب يرفضون الدوريات": the patrol is what the protest is about, not the
event reported; read as the title's kind of incident, it would set the report apart from the protest's
other reports (a patrol and a protest on one road are two stories). So, in a text that names a protest
(anywhere), the words a title names after a word of opposition ("against", "reject", "ضد", "يرفضون",
"против"; in Turkish before it: "... karşı"), up to the next punctuation, are no kind of incident of the
title, and the title is about a protest.

Only words of opposition are markers, never the kinds themselves, and only in a text that names a protest:
"attack against a convoy" in a report of no protest keeps its convoy.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.matching.text import Token, arabic_forms, fold

_AGAINST: dict[str, frozenset[str]] = {
    lang: frozenset(fold(word) for word in words) for lang, words in {
        "en": ("against", "reject", "rejects", "rejecting", "oppose", "opposes", "opposing", "denounce",
               "denounces", "denouncing", "condemn", "condemns", "condemning"),
        "ru": ("против",),
        "tr": ("karşı",),
        "ar": ("ضد", "رفض", "رفضا", "يرفض", "يرفضون", "ترفض", "رافض", "رافضين", "رافضون", "رافضه", "تنديد",
               "تنديدا", "منددين", "يندد", "ينددون"),
    }.items()
}
"""Words of opposition, folded; Arabic ones are also found after their proclitics ("ورفضا")."""

_OBJECT_BEFORE = frozenset({"tr"})
"""Languages that name what is opposed before the word of opposition (a postposition)."""

PROTEST = "protest"


def _opposing(token: Token, lang: str, markers: frozenset[str]) -> bool:
    forms = arabic_forms(token.norm) | {token.norm} if token.script == "arabic" else {token.norm}
    return bool(forms & markers)


def unopposed(tokens: Sequence[Token], lang: str) -> tuple[list[Token], bool]:
    """The title's tokens without the words of opposition and what they name as opposed (to the next
    punctuation, or in Turkish back to the previous one), and whether there was any."""
    markers = _AGAINST.get(lang, frozenset())
    marked = [index for index, token in enumerate(tokens) if _opposing(token, lang, markers)]
    if not marked:
        return list(tokens), False
    dropped: set[int] = set()
    for index in marked:
        dropped.add(index)
        if lang in _OBJECT_BEFORE:
            back = index
            while back > 0 and not tokens[back].break_before:
                back -= 1
                dropped.add(back)
        else:
            ahead = index + 1
            while ahead < len(tokens) and not tokens[ahead].break_before:
                dropped.add(ahead)
                ahead += 1
    return [token for index, token in enumerate(tokens) if index not in dropped], True


def title_kinds(kinds: frozenset[str], kept_kinds: frozenset[str], opposed: bool,
                text_kinds: frozenset[str]) -> frozenset[str]:
    """The kinds a title is about: `kinds` as read from all its words, unless it names what is opposed in
    a text that names a protest: then those read from its other words (`kept_kinds`), and a protest."""
    if not opposed or PROTEST not in text_kinds:
        return kinds
    return kept_kinds | {PROTEST}
