"""The places a report names, in any language's spelling, for story clustering (pure).

Built once from the gazetteer (config/places.toml through `bot.adapters.config_files.load_places`):
`PlaceIndex.from_places(load_places(settings.places_file))`. Places are towns (a specific spot: two
reports naming different towns are two events) or regions (`scope = "region"` in the gazetteer: Idlib,
Aleppo, Jabal al-Zawiya, Bab al-Hawa...: naming the same region is weak evidence and naming different
regions proves nothing). A region written as its
city ("Idlib city", "مدينة إدلب", "وسط إدلب": central Idlib, "downtown Idlib") is a town of its own, "idlib:city".
A town named as a reference point ("north of Saraqib") is a region "near:saraqib", and "northwest Syria" is
Idlib (bot/core/stories/place_context.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.core.matching.places import REGION, Place
from bot.core.matching.text import Token, candidates, tokenize
from bot.core.stories.names import name_skeletons
from bot.core.stories.place_context import MONITORED, named_as_reference, names_northwest_syria
from bot.core.stories.spellings import SHORTEST, article_spellings, turkish_spellings

_APOSTROPHES = re.compile("['’ʼ`]")  # "A'zaz" is one name, not the word "a"
_SHORTEST_NAME = 3
_CITY_BEFORE = frozenset({"مدينه", "وسط", "downtown", "город", "города", "городе", "центр", "центре"})
_CITY_AFTER = frozenset({"city", "sehir", "sehri", "kent", "kenti", "merkez", "merkezi", "merkezinde", "sehrinde",
                         "kentinde", "centre", "center"})
CITY_SUFFIX = ":city"
NEAR = "near:"  # a town named as a reference point ("north of Saraqib") is a region around it
_ARTICLES = frozenset({"al", "el"})  # the Arabic article in a Latin name ("al-Shaykh")
_ROAD_CODES = frozenset({"m4", "m5"})  # the highways are regions too ("M4", "М4" and "م4" fold alike)
_Name = tuple[tuple[frozenset[str], ...], str]  # (the forms of each word, the place's key)
_SHORT_RUSSIAN_ENDINGS = ("ом", "ой", "ем", "а", "у", "е", "ы", "и", "ю", "я")

@dataclass(frozen=True)
class PlacesNamed:
    """Gazetteer keys a text names, split into towns and regions."""

    towns: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlaceIndex:
    """Names of places as sequences of words (each word as the set of its base forms), by the forms of their
    first word; `regions` holds the keys that are regions."""

    by_first: dict[str, tuple[_Name, ...]] = field(default_factory=dict)
    regions: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()
    """The consonant skeletons of every listed name (bot/core/stories/names.py: no name outside the gazetteer)."""

    @classmethod
    def from_places(cls, places: Iterable[Place]) -> PlaceIndex:
        """An index of every spelling of every place (the longest spelling is tried first); places of
        scope "region" are the regions."""
        places = list(places)
        listed = _single_words(places)
        grouped: dict[str, set[_Name]] = {}
        skeletons: set[str] = set()
        for place in places:
            for names in place.names.values():
                for name in names:
                    tokens = tokenize(_APOSTROPHES.sub("", name))
                    skeletons |= name_skeletons(tokens)
                    if len("".join(token.norm for token in tokens)) < _SHORTEST_NAME:
                        continue
                    words = tuple(_name_word(token, len(tokens)) for token in tokens)
                    words = tuple(article_spellings(tokens[index + 1].norm)
                                  if token.norm in _ARTICLES and index + 1 < len(tokens) else word
                                  for index, (token, word) in enumerate(zip(tokens, words, strict=True)))
                    if len(words) == 1:  # a derived spelling never takes another place's listed name
                        words = (frozenset(word for word in words[0] if listed.get(word, place.key) == place.key),)
                    for first in words[0]:
                        grouped.setdefault(first, set()).add((words, place.key))
        ordered = {first: tuple(sorted(entries, key=lambda entry: (-len(entry[0]), entry[1], repr(entry[0]))))
                   for first, entries in grouped.items()}
        return cls(ordered, frozenset(place.key for place in places if place.scope == REGION), frozenset(skeletons))

    def named_in(self, tokens: Sequence[Token], lang: str | None) -> PlacesNamed:
        """The places `tokens` name (a text in language `lang`)."""
        forms = [_forms(token, lang) for token in tokens]
        found: set[str] = set()
        references: set[str] = set()
        for start, token_forms in enumerate(forms):
            for form in token_forms:
                for words, key in self.by_first.get(form, ()):
                    if _continues(forms, start, words):
                        city = key in self.regions and _says_city(forms, start, len(words))
                        named = f"{key}{CITY_SUFFIX}" if city else key
                        (references if named_as_reference(forms, start, len(words)) else found).add(named)
                        break
        towns = {key for key in found if key not in self.regions}
        regions = {key.removesuffix(CITY_SUFFIX) for key in found | references} & self.regions
        regions |= {f"{NEAR}{key}" for key in references - found
                    if key not in self.regions and not key.endswith(CITY_SUFFIX)}
        regions |= {f"road:{token.norm}" for token in tokens if token.norm in _ROAD_CODES}
        if MONITORED in self.regions and names_northwest_syria(forms):
            regions.add(MONITORED)
        return PlacesNamed(frozenset(towns), frozenset(regions))


def _name_word(token: Token, words_in_name: int) -> frozenset[str]:
    """The forms one word of a listed name is matched in: Russian case endings off, Turkish spellings of
    Latin words (bot/core/stories/spellings.py; a one-word name only when long enough)."""
    if token.script == "cyrillic":
        return frozenset(_forms(token, None))
    if token.script == "latin" and (words_in_name > 1 or len(token.norm) >= SHORTEST):
        return turkish_spellings(token.norm)
    return frozenset({token.norm})


def _single_words(places: Sequence[Place]) -> dict[str, str]:
    """Every listed one-word name (folded), with the key of the place listing it first."""
    owners: dict[str, str] = {}
    for place in places:
        for names in place.names.values():
            for name in names:
                tokens = tokenize(_APOSTROPHES.sub("", name))
                if len(tokens) == 1:
                    owners.setdefault(tokens[0].norm, place.key)
    return owners


def _forms(token: Token, lang: str | None) -> set[str]:
    """The token and its base forms; Russian words lose their case ending even when short ("Тель-Хана" is
    Хан), on both sides: "Мхамбаля" and "Мхамбаль" meet as "мхамбал"."""
    forms = candidates(token, lang) | {token.norm}
    if token.script == "cyrillic":
        forms |= {token.norm[:-len(ending)] for ending in _SHORT_RUSSIAN_ENDINGS
                  if token.norm.endswith(ending) and len(token.norm) - len(ending) >= 2}
    return forms


def _says_city(forms: Sequence[set[str]], start: int, width: int) -> bool:
    """Whether a region's name is written as its city ("Idlib city", "مدينة إدلب", "город Идлиб")."""
    before = forms[start - 1] if start > 0 else set()
    after = forms[start + width] if start + width < len(forms) else set()
    return bool(forms[start] & _CITY_BEFORE or before & _CITY_BEFORE or after & _CITY_AFTER)


def _continues(forms: Sequence[set[str]], start: int, words: tuple[frozenset[str], ...]) -> bool:
    if start + len(words) > len(forms):
        return False
    return all(word & forms[start + offset] for offset, word in enumerate(words[1:], start=1))
