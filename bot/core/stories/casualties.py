"""A soldier killed or wounded, in a text that names no kind of incident (pure).

"Turkish soldier killed, two wounded in Idlib", "1 şehit, 2 yaralı", "مقتل جندي تركي بهجوم": ministries
announce their losses without saying how (an "attack", "harassing fire"), so such reports name none of the
lexicon's kinds of incident, and without a kind a report joins a story only on a town or a name. Such a
text, when it names a soldier and a death or a wound, is of the kind `CASUALTY`: reports of one loss
then share a kind, and a report that says how (a shelling, a bomb) keeps its own kind (it is not made a
casualty as well, so the kinds still tell two incidents apart).

Words are stems as in bot/core/stories/lexicon.py ("=": the whole word only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from types import MappingProxyType

from bot.core.stories.stems import StemTable, Word

CASUALTY = "casualty"
_FALLEN = "fallen"

_WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "soldier": {
        "en": ("soldier", "troops=", "serviceman", "servicemen", "trooper"),
        "tr": ("asker", "mehmetçik"),
        "ru": ("военн", "солдат", "военнослужащ"),
        "ar": ("جندي", "جنود", "عسكري", "عسكريين", "عنصر", "عناصر"),
    },
    "harm": {
        "en": ("killed", "dead=", "died=", "dies=", "wounded", "injured", "martyr"),
        "tr": ("öldü", "hayatını kaybet", "yaralan", "yaralı"),
        "ru": ("погиб", "убит", "ранен", "гибел"),
        "ar": ("مقتل", "قتل", "مصرع", "اصابه", "اصيب", "جرح", "جريح", "استشهاد", "استشهد"),
    },
    _FALLEN: {"tr": ("şehit",)},  # a martyr: in Turkish news, a soldier (or policeman) killed
})
"""A soldier, and a death or a wound, per language; or one word for both."""


@cache
def _table(lang: str) -> StemTable:
    return StemTable.build(_WORDS, lang)


def casualty(words: Sequence[Word], lang: str, kinds: frozenset[str]) -> frozenset[str]:
    """`kinds`, or when the text names none, `CASUALTY` if it names a soldier and a death or a wound."""
    if kinds:
        return kinds
    named = _table(lang).kinds(words)
    return frozenset({CASUALTY}) if _FALLEN in named or {"soldier", "harm"} <= named else kinds
