"""Keyword concepts from data: the built-in catalogue and the concepts users add with /add."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.interface.i18n import N_
from bot.core.matching.places import Place, corridor_names, place_concept
from bot.core.matching.script import script_language
from bot.core.matching.text import fold, phrase_problem, tokenize
from bot.core.matching.topics import Topic, topic_concept
from bot.core.matching.transliteration import derived_spellings
from bot.core.models import LANGUAGES, Concept, SentenceVeto
from bot.errors import UserError

MAX_TERM_LENGTH = 64
MAX_KEY_LENGTH = 255
"""The stored key (`user_concept_key`) fits a 255-character column on every database."""
SOURCE_TOPIC, SOURCE_PLACE, SOURCE_TRANSLATOR = "topic", "place", "translator"
"""Where an /add took its spellings from: the topic lexicon, the gazetteer, or the translator."""
_KINDS = ("terms", "ambiguous", "context", "strong_context", "vetoes", "strong_vetoes")


def _phrases(table: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, Mapping):
        raise ValueError(f"{where} must be a table of language = [phrases]")
    for lang, phrases in table.items():
        if lang not in LANGUAGES:
            raise ValueError(f"{where}: unknown language {lang!r}")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ValueError(f"{where}: {lang} must be a list of strings")
        for phrase in phrases:
            if (problem := phrase_problem(phrase)) is not None:
                raise ValueError(f"{where}: {lang} phrase {phrase!r} {problem}")
    return {lang: tuple(phrases) for lang, phrases in table.items()}


def _sentence_vetoes(key: str, raw: Any, ambiguous: Mapping[str, Sequence[str]]) -> tuple[SentenceVeto, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"concept {key!r}: 'sentence_vetoes' must be [[concepts.sentence_vetoes]] tables")
    known = {phrase for phrases in ambiguous.values() for phrase in phrases}
    groups = []
    for number, item in enumerate(raw, start=1):
        where = f"concept {key!r}: sentence_vetoes #{number}"
        if not isinstance(item, Mapping):
            raise ValueError(f"{where} is not a table")
        applies_to = item.get("applies_to", [])
        if not isinstance(applies_to, list) or not all(isinstance(p, str) for p in applies_to):
            raise ValueError(f"{where}: 'applies_to' must be a list of the concept's ambiguous phrases")
        unknown = [phrase for phrase in applies_to if phrase not in known]
        if unknown:
            raise ValueError(f"{where}: {unknown[0]!r} in 'applies_to' is not one of its ambiguous phrases")
        phrases = _phrases({k: v for k, v in item.items() if k != "applies_to"}, where)
        if not phrases:
            raise ValueError(f"{where} lists no phrases")
        groups.append(SentenceVeto(tuple(applies_to), phrases))
    return tuple(groups)


def parse_concepts(data: Mapping[str, Any], places: Iterable[Place] | None = None) -> list[Concept]:
    """Concepts from the parsed keywords file; ValueError names the first problem found.

    A concept's `corridor` takes the gazetteer `places` on that corridor as strong context; without a
    gazetteer (None) the corridor is left out.
    """
    raw = data.get("concepts")
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected one or more [[concepts]] tables")
    gazetteer = list(places) if places is not None else None
    concepts: list[Concept] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise ValueError(f"concept #{number} is not a table")
        key = item.get("key")
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"concept #{number} has no 'key'")
        variants = {kind: _phrases(item.get(kind, {}), f"concept {key!r}: '{kind}'") for kind in _KINDS}
        if not variants["terms"] and not variants["ambiguous"]:
            raise ValueError(f"concept {key!r} has neither 'terms' nor 'ambiguous' phrases")
        if variants["ambiguous"] and not (variants["context"] or variants["strong_context"]):
            raise ValueError(f"concept {key!r} has 'ambiguous' phrases but no 'context' to confirm them")
        corridor = item.get("corridor", "")
        if not isinstance(corridor, str):
            raise ValueError(f"concept {key!r}: 'corridor' must be the name of a gazetteer corridor, such as \"m4\"")
        strong = variants["strong_context"]
        if corridor and gazetteer is not None:
            along = corridor_names(gazetteer, corridor)
            if not along:
                raise ValueError(f"concept {key!r}: no place of the gazetteer has corridor = {corridor!r}")
            strong = _merge(strong, along)
        concepts.append(Concept(
            key=key.strip(), label=str(item.get("label") or key).strip(), builtin=True,
            terms=variants["terms"], ambiguous=variants["ambiguous"], context=variants["context"],
            vetoes=variants["vetoes"], strong_context=strong, strong_vetoes=variants["strong_vetoes"],
            sentence_vetoes=_sentence_vetoes(key, item.get("sentence_vetoes", []), variants["ambiguous"]),
        ))
    keys = [c.key for c in concepts]
    if len(keys) != len(set(keys)):
        raise ValueError("concept keys must be unique")
    return concepts


def clean_term(raw: str) -> str:
    """A user-typed keyword with control characters removed and spaces collapsed; UserError if unusable."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise UserError(N_("empty keyword"))
    if len(text) > MAX_TERM_LENGTH or len(user_concept_key(text)) > MAX_KEY_LENGTH:  # "ﷺ" folds to 18 letters
        raise UserError(N_("a keyword is at most {count} characters"), count=MAX_TERM_LENGTH)
    if not tokenize(text):  # "...", "ـــ" (tatweel), a lone "ʼ": nothing the matcher could ever find
        raise UserError(N_("a keyword needs at least one letter or digit"))
    return text


def user_concept_key(term: str) -> str:
    """The stable key of a user keyword, equal for spellings that fold alike ("SARAQIB", "Saraqib")."""
    return "user:" + " ".join(fold(term).split())


MAX_PARTS = 20
_CONTEXT_LABELS = ("near", "context", "with")
_EXCLUSION_LABELS = ("not", "except", "without")


@dataclass(frozen=True)
class AddRequest:
    """What `/add` asked for: a term, optional extra spellings, context it needs, words that exclude it."""

    term: str
    variants: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()


def _terms(text: str) -> tuple[str, ...]:
    parts = [clean_term(part) for part in text.split(",") if part.strip()]
    if len(parts) > MAX_PARTS:
        raise UserError(N_("at most {count} comma-separated words per part"), count=MAX_PARTS)
    return tuple(dict.fromkeys(parts))


def parse_add(raw: str) -> AddRequest:
    """Parse "Ariha, أريحا, Eriha | near: Idlib, Syria | not: Jericho, West Bank" (only the term is required).

    A malformed request raises UserError (a message key the interface translates)."""
    head, *sections = raw.split("|")
    names = _terms(head)
    if not names:
        raise UserError(N_("empty keyword"))
    context: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    for section in sections:
        label, colon, rest = section.partition(":")
        label = label.strip().lower()
        if not colon or label not in _CONTEXT_LABELS + _EXCLUSION_LABELS:
            raise UserError(N_("after '|' write 'near: words that must also appear' or 'not: words that exclude it'"))
        if label in _CONTEXT_LABELS:
            context += _terms(rest)
        else:
            exclusions += _terms(rest)
    if len(context) > MAX_PARTS or len(exclusions) > MAX_PARTS:  # "| near: ... | near: ..." repeated
        raise UserError(N_("at most {count} comma-separated words per part"), count=MAX_PARTS)
    return AddRequest(names[0], names[1:], context, exclusions)


def term_language(term: str) -> str:
    """The language a keyword was typed in: by script, and English for plain Latin letters."""
    return script_language(term) or "en"


def _by_language(words: Sequence[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(term_language(word), []).append(word)
    return {lang: tuple(values) for lang, values in grouped.items()}


def build_user_concept(request: AddRequest, translations: Mapping[str, str], place: Place | None,
                       topic: Topic | None = None) -> Concept:
    """The concept for an /add: a topic's words when the term is in the topic lexicon, else the gazetteer's
    spellings when the place is known, else the term, its translations and the spellings derived from it
    in the other scripts (matched by sound too); the user's own spellings, context and exclusions on top."""
    own = [request.term, *request.variants]
    extra: dict[str, list[str]] = {}
    for word in own:
        extra.setdefault(term_language(word), []).append(word)
    for lang, translated in translations.items():
        if lang in LANGUAGES and translated.strip() and translated.strip() not in extra.get(lang, []):
            extra.setdefault(lang, []).append(translated.strip())
    key, label = user_concept_key(request.term), request.term
    if topic is not None:
        concept = topic_concept(topic, extra)
        key, label = concept.key, concept.label
    elif place is not None:
        concept = place_concept(place, key, label, extra)
    else:
        if _looks_like_a_name(request.term):
            for lang, spellings in derived_spellings(request.term).items():
                extra.setdefault(lang, []).extend(s for s in spellings if s not in extra.get(lang, []))
        concept = Concept(key=key, label=label, terms={k: tuple(v) for k, v in extra.items()}, sound_alike=True)
    sound = concept.sound_alike
    if request.context:
        names = {lang: tuple(concept.terms.get(lang, ())) + tuple(concept.ambiguous.get(lang, ()))
                 for lang in LANGUAGES}
        context = _merge(concept.context, _by_language(request.context))
        concept = Concept(key=key, label=label, ambiguous=names, context=context, vetoes=concept.vetoes,
                          sound_alike=sound)
    if request.exclusions:
        concept = Concept(key=key, label=label, terms=concept.terms, ambiguous=concept.ambiguous,
                          context=concept.context, vetoes=_merge(concept.vetoes, _by_language(request.exclusions)),
                          sound_alike=sound)
    return concept


def _looks_like_a_name(term: str) -> bool:
    """A capitalised word (Kafr Lusin, Кафр-Лусин), or Arabic script, which has no capitals."""
    first = next((ch for ch in term if ch.isalpha()), "")
    return first.isupper() or script_language(term) == "ar"


def _merge(first: Mapping[str, Sequence[str]], second: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        values = tuple(dict.fromkeys([*first.get(lang, ()), *second.get(lang, ())]))
        if values:
            merged[lang] = values
    return merged


def describe(concept: Concept) -> str:
    """Plain text with a concept's spellings per language, and the context and exclusions it carries."""
    lines = [concept.label]
    for lang in LANGUAGES:
        phrases = list(concept.terms.get(lang, ())) + list(concept.ambiguous.get(lang, ()))
        if phrases:
            lines.append(f"  {lang}: {', '.join(phrases)}")
    if concept.ambiguous:
        words = [w for lang in LANGUAGES for w in concept.context.get(lang, ())]
        lines.append(f"  needs one of: {', '.join(words[:12])}{' …' if len(words) > 12 else ''}")
    vetoes = [w for lang in LANGUAGES for w in concept.vetoes.get(lang, ())]
    if vetoes:
        lines.append(f"  except with: {', '.join(vetoes[:12])}{' …' if len(vetoes) > 12 else ''}")
    return "\n".join(lines)
