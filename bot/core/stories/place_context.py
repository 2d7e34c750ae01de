"""How a text names places, beyond the gazetteer's names: reference points, and the region by description (pure).

- A town named as a reference point is not where the event was: "north of Idlib city", "5 km west of
  Saraqib", "شمال مدينة إدلب", "جنوبي سراقب", "к северу от Идлиба", "Sermeda'nın kuzeyinde". Two reports
  of one strike "on Maarat Misrin" and "north of Idlib city" name different towns, but only the first names
  the site; clustering reads the second as naming a region around the town (weak evidence, no veto).
- The monitored region is often named by description rather than by name: "northwest Syria", "شمال غرب
  سوريا", "северо-запад Сирии", "Suriye'nin kuzeybatısı" are Idlib and its surroundings (`MONITORED`).
Words are compared in their folded forms (bot/core/matching/text.py), Arabic ones without proclitics.
"""

from __future__ import annotations

from collections.abc import Sequence

MONITORED = "idlib"
"""The region key a description of northwest Syria stands for."""

_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                         "northeastern", "northwestern", "southeastern", "southwestern"})
_OF = frozenset({"of"})
_RU_DIRECTIONS = frozenset({"северу", "югу", "востоку", "западу"})
_RU_FROM = frozenset({"от"})
_AR_DIRECTIONS = frozenset({"شمال", "شمالي", "جنوب", "جنوبي", "شرق", "شرقي", "غرب", "غربي"})
_AR_CITY = frozenset({"مدينه", "بلده", "قريه"})
_TR_DIRECTIONS = ("kuzey", "guney", "dogu", "bati")
_TR_CITY = frozenset({"kenti", "kentinin", "ilcesi", "ilcesinin", "beldesi", "beldesinin", "koyu", "koyunun"})
_NORTHWEST_SYRIA: tuple[tuple[str, ...], ...] = (
    ("northwest", "syria"), ("northwestern", "syria"), ("north", "west", "syria"), ("north", "western", "syria"),
    ("syria", "s", "northwest"), ("syria", "northwest"),
    ("شمال", "غرب", "سوري"), ("شمال", "غربي", "سوري"), ("الشمال", "الغربي", "السوري"),
    ("северо", "запад", "сири"),
    ("suriye", "kuzeybati"), ("kuzeybati", "suriye"),
)
"""Descriptions of northwest Syria, as word prefixes in a row."""


def named_as_reference(forms: Sequence[set[str]], start: int, width: int) -> bool:
    """Whether the place at `forms[start:start + width]` is named as a reference point, not as the site."""
    before = start - 1
    if before >= 0 and forms[before] & _AR_CITY:
        before -= 1
    if before >= 0 and forms[before] & _AR_DIRECTIONS:
        return True
    if before >= 1 and forms[before] & _OF and forms[before - 1] & _DIRECTIONS:
        return True
    if before >= 1 and forms[before] & _RU_FROM and forms[before - 1] & _RU_DIRECTIONS:
        return True
    after = start + width
    if after < len(forms) and forms[after] & _TR_CITY:
        after += 1
    return after < len(forms) and any(form.startswith(_TR_DIRECTIONS) for form in forms[after])


_FIRST_WORDS = tuple(sorted({phrase[0] for phrase in _NORTHWEST_SYRIA}))


def names_northwest_syria(forms: Sequence[set[str]]) -> bool:
    """Whether the text describes northwest Syria ("northwest Syria", "شمال غرب سوريا"...)."""
    for start, first in enumerate(forms):
        if not any(form.startswith(_FIRST_WORDS) for form in first):
            continue
        for phrase in _NORTHWEST_SYRIA:
            if start + len(phrase) <= len(forms) and all(
                    any(form.startswith(prefix) for form in forms[start + offset])
                    for offset, prefix in enumerate(phrase)):
                return True
    return False
