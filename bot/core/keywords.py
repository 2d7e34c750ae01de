"""Keyword concepts from data: the built-in catalogue and the concepts users add with /add."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from bot.core.models import LANGUAGES, Concept
from bot.core.text import fold

MAX_TERM_LENGTH = 64
_KINDS = ("terms", "ambiguous", "context", "vetoes")


def parse_concepts(data: Mapping[str, Any]) -> list[Concept]:
    """Concepts from the parsed keywords file; ValueError names the first problem found."""
    raw = data.get("concepts")
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected one or more [[concepts]] tables")
    concepts: list[Concept] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise ValueError(f"concept #{number} is not a table")
        key = item.get("key")
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"concept #{number} has no 'key'")
        variants: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind in _KINDS:
            table = item.get(kind, {})
            if not isinstance(table, Mapping):
                raise ValueError(f"concept {key!r}: '{kind}' must be a table of language = [phrases]")
            for lang, phrases in table.items():
                if lang not in LANGUAGES:
                    raise ValueError(f"concept {key!r}: unknown language {lang!r} in '{kind}'")
                if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                    raise ValueError(f"concept {key!r}: {kind}.{lang} must be a list of strings")
            variants[kind] = {lang: tuple(phrases) for lang, phrases in table.items()}
        if not variants["terms"] and not variants["ambiguous"]:
            raise ValueError(f"concept {key!r} has neither 'terms' nor 'ambiguous' phrases")
        if variants["ambiguous"] and not variants["context"]:
            raise ValueError(f"concept {key!r} has 'ambiguous' phrases but no 'context' to confirm them")
        concepts.append(Concept(
            key=key.strip(), label=str(item.get("label") or key).strip(), builtin=True,
            terms=variants["terms"], ambiguous=variants["ambiguous"], context=variants["context"],
            vetoes=variants["vetoes"],
        ))
    keys = [c.key for c in concepts]
    if len(keys) != len(set(keys)):
        raise ValueError("concept keys must be unique")
    return concepts


def clean_term(raw: str) -> str:
    """A user-typed keyword with control characters removed and spaces collapsed; ValueError if unusable."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise ValueError("empty keyword")
    if len(text) > MAX_TERM_LENGTH:
        raise ValueError(f"a keyword is at most {MAX_TERM_LENGTH} characters")
    if not any(ch.isalnum() for ch in text):
        raise ValueError("a keyword needs at least one letter or digit")
    return text


def user_concept_key(term: str) -> str:
    """The stable key of a user keyword, equal for spellings that fold alike ("SARAQIB", "Saraqib")."""
    return "user:" + " ".join(fold(term).split())


def user_concept(term: str, lang: str, translations: Mapping[str, str]) -> Concept:
    """A concept for a user's term: the term in its own language plus its translations into the others."""
    terms: dict[str, list[str]] = {lang: [term]}
    for other, translated in translations.items():
        if other in LANGUAGES and translated.strip():
            terms.setdefault(other, [])
            if translated.strip() not in terms[other]:
                terms[other].append(translated.strip())
    return Concept(key=user_concept_key(term), label=term, terms={k: tuple(v) for k, v in terms.items()})


def describe(concept: Concept) -> str:
    """One plain-text line per language with a concept's spellings."""
    lines = [concept.label]
    for lang in LANGUAGES:
        phrases = list(concept.terms.get(lang, ())) + list(concept.ambiguous.get(lang, ()))
        if phrases:
            lines.append(f"  {lang}: {', '.join(phrases)}")
    return "\n".join(lines)
