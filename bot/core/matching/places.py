"""The gazetteer: known places with their spellings in four languages, and what tells ambiguous ones apart.

`/add` looks a typed term up here first, so a user who types "Saraqib", "Serakib" or "سراقب" gets the
same town in all four languages, and a user who adds an ambiguous name such as أريحا (Ariha in Idlib,
and Jericho in the West Bank) gets a keyword that needs Syrian context and is told so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.matching.text import phrase_problem, tokenize
from bot.core.models import LANGUAGES, Concept, Variants

TOWN = "town"
REGION = "region"
SCOPES = (TOWN, REGION)


@dataclass(frozen=True)
class Place:
    """A place and its names; `ambiguous` says what else the name means (empty when it is unique)."""

    key: str
    label: str
    names: Variants
    ambiguous: str = ""
    context: Variants | None = None
    vetoes: Variants | None = None
    corridor: str = ""  # "m4" for places on the M4 highway (context for ambiguous mentions of the road)
    scope: str = TOWN  # REGION for governorates, mountain areas, crossings (weak evidence in story clustering)


def _variants(item: Mapping[str, Any], field: str, key: str) -> dict[str, tuple[str, ...]]:
    table = item.get(field, {})
    if not isinstance(table, Mapping):
        raise ValueError(f"place {key!r}: '{field}' must be a table of language = [names]")
    result = {}
    for lang, names in table.items():
        if lang not in LANGUAGES:
            raise ValueError(f"place {key!r}: unknown language {lang!r} in '{field}'")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"place {key!r}: {field}.{lang} must be a list of strings")
        for name in names:
            if (problem := phrase_problem(name)) is not None:
                raise ValueError(f"place {key!r}: {field}.{lang}: {name!r} {problem}")
        result[lang] = tuple(names)
    return result


def parse_places(data: Mapping[str, Any]) -> list[Place]:
    """Places from the parsed gazetteer file; ValueError names the first problem."""
    raw = data.get("places", [])
    if not isinstance(raw, list):
        raise ValueError("expected [[places]] tables")
    places = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
            raise ValueError(f"place #{number} needs a 'key'")
        key = item["key"]
        names = _variants(item, "names", key)
        if not names:
            raise ValueError(f"place {key!r} has no names")
        ambiguous = str(item.get("ambiguous", "")).strip()
        context = _variants(item, "context", key)
        if ambiguous and not context:
            raise ValueError(f"place {key!r} is ambiguous but has no 'context' to confirm it")
        corridor = item.get("corridor", "")
        if not isinstance(corridor, str):
            raise ValueError(f"place {key!r}: 'corridor' must be a name such as \"m4\"")
        places.append(Place(key, str(item.get("label") or key), names, ambiguous, context or None,
                            _variants(item, "vetoes", key) or None, corridor.strip(), _scope(item, key)))
    keys = [place.key for place in places]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"place key {duplicates[0]!r} is used twice")
    return places


def _scope(item: Mapping[str, Any], key: str) -> str:
    scope = item.get("scope", TOWN)
    if scope not in SCOPES:
        raise ValueError(f"place {key!r}: 'scope' must be one of {', '.join(map(repr, SCOPES))}, not {scope!r}")
    return str(scope)


def corridor_names(places: Iterable[Place], corridor: str) -> dict[str, tuple[str, ...]]:
    """The names of the unambiguous places on `corridor`, per language (context for the road's concept)."""
    names: dict[str, list[str]] = {}
    for place in places:
        if place.corridor == corridor and not place.ambiguous:
            for lang, spellings in place.names.items():
                names.setdefault(lang, []).extend(spellings)
    return {lang: tuple(dict.fromkeys(values)) for lang, values in names.items()}


class Gazetteer:
    """Looks places up by any of their spellings, in any case or script form."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places = list(places)
        self._by_name: dict[str, Place] = {}
        for place in self.places:
            for names in place.names.values():
                for name in names:
                    self._by_name.setdefault(_folded(name), place)

    def lookup(self, term: str) -> Place | None:
        """The place one of whose names is `term`, if any."""
        return self._by_name.get(_folded(term))


def _folded(name: str) -> str:
    return " ".join(token.norm for token in tokenize(name))


def place_concept(place: Place, key: str, label: str, extra: Mapping[str, Iterable[str]]) -> Concept:
    """A user keyword for a known place; ambiguous places need their context, and lose to their vetoes."""
    names: dict[str, list[str]] = {lang: list(values) for lang, values in place.names.items()}
    for lang, values in extra.items():
        for value in values:
            if value and value not in names.setdefault(lang, []):
                names[lang].append(value)
    frozen = {lang: tuple(values) for lang, values in names.items()}
    if place.ambiguous:
        return Concept(key=key, label=label, ambiguous=frozen, context=place.context or {},
                       vetoes=place.vetoes or {}, sound_alike=True)
    return Concept(key=key, label=label, terms=frozen, sound_alike=True)


