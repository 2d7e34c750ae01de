"""Names outside the gazetteer, compared across scripts by their consonant skeletons (pure).

An air base, a hamlet or a commander that config/places.toml does not list is written "Hmeimim",
"Хмеймим", "حميميم" and "Hmeymim": no word is shared, but the consonants are (h-m-m-m). A report that names
such a name in its title, of a story that names it too in another language, is tied to it as by a town
(bot/core/stories/affinity.py).

What counts as a name:
- in Latin and Cyrillic text, a capitalised word that is none of the lexicon's words (events, parties,
  weekdays, targets, numbers, stop words) and no gazetteer name, and a run of such words written together
  ("Kafr Lusin" is also "kfrlsn", as Arabic writes it in one word: "كفرلوسين");
- in Arabic, which has no capitals, any word but a lexicon word, and in a title two neighbouring words
  together (not in a summary: stories would hold hundreds of such pairs); such a
  skeleton only meets a name another language capitalised, since names are compared across languages only
  (within one language the content words already compare them).
A skeleton (bot/core/matching/text.py's sound key, but letters repeated across a vowel are kept: "Hmeimim"
is "hmmm", not "hm") must have `MIN_SKELETON` letters: shorter ones collide. Names in the news every day
(heads of state, news agencies: `EVERYDAY`) tie nothing. Each is kept as "lang:skeleton".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from itertools import pairwise

from bot.core.matching.text import Token, arabic_forms, candidates, sound_key, tokenize

MIN_SKELETON = 4
_LANGS = ("ar", "tr", "ru", "en")
_PART = "+"  # marks the skeleton of a word of a listed name of several words
_ARTICLES = frozenset({"al", "el", "as", "ash", "es", "ad", "ed", "ar", "er", "at", "et", "az", "ez", "an", "en",
                       "аль", "эль", "ал", "эш", "аш", "ас", "эс", "ад", "эд", "ар", "эр", "ат", "эт", "аз", "эз"})
EVERYDAY = ("Erdogan", "Putin", "Assad", "Lavrov", "Cavusoglu", "Shoigu", "Pedersen", "Guterres", "Biden",
            "Trump", "Jolani", "Julani", "Reuters", "Sputnik", "Anadolu", "Interfax", "Observatory", "Ministry",
            "Reconciliation", "Hayat Tahrir al-Sham", "White Helmets", "Civil Defence", "Salvation Government",
            "World Food Programme", "Hurras al-Din", "Ahrar al-Sham", "National Army")
"""People and bodies named in unrelated reports every day, in English (their skeletons, and those of their
words, tie nothing)."""


@lru_cache(maxsize=65536)  # the same words come back in report after report
def skeleton(form: str) -> str:
    """The consonant skeleton of one folded word: doubled letters written once, then `sound_key`'s
    consonant classes, with letters repeated across a vowel kept ("hmeimim" is "hmmm")."""
    if form.endswith("ه") and len(form) > 3:
        form = form[:-1]  # ta marbuta is not pronounced in names
    undoubled = "".join(ch for index, ch in enumerate(form) if index == 0 or ch != form[index - 1])
    return "".join(sound_key(ch) if ch.isalpha() else "" for ch in _digraphs(undoubled))


def _digraphs(word: str) -> list[str]:
    """The word's sounds: Latin digraphs (kh, sh, gh, th, dh, ch, ph, dj) kept together for `sound_key`."""
    sounds: list[str] = []
    index = 0
    while index < len(word):
        pair = word[index:index + 2]
        if pair in ("kh", "sh", "gh", "th", "dh", "ch", "ph", "dj", "дж"):
            sounds.append(pair)
            index += 2
        else:
            sounds.append(word[index])
            index += 1
    return sounds




def names(text: str, tokens: Sequence[Token], lang: str, known: Callable[[Token], bool],
          excluded: frozenset[str], title_end: int = 0) -> tuple[frozenset[str], frozenset[str]]:
    """"lang:skeleton" of every name in `tokens` (of `text`), and of those before `title_end` (the title's);
    `known(token)` says a token is a lexicon word, `excluded` holds the gazetteer's skeletons
    (`name_skeletons`): its names are no names here, and a word of one ("Kafr") is a name only with its
    neighbours."""
    found: dict[str, bool] = {}  # skeleton -> named in the title

    def add(keys: set[str], title: bool) -> None:
        for key in keys:
            found[key] = found.get(key, False) or title

    whole = lang != "ar"  # Arabic, uncapitalised, is joined by neighbours only, in its title only
    run: list[set[str]] = []  # the names written together so far (no punctuation between them)
    run_in_title = False
    for token in tokens:
        if token.norm in _ARTICLES and run and not token.break_before:
            continue  # "Jisr al-Shughur": the article neither ends the run nor adds to it
        forms = _name_forms(text, token, known, excluded)
        if forms is None or token.break_before or (not whole and token.start >= title_end):
            add(_joined(run, whole), run_in_title)
            run = []
        if forms is not None and run and any(left + right in excluded for left in run[-1] for right in forms):
            run.pop()  # the two words are a listed name ("Kafr Takharim"): neither joins its neighbours
            add(_joined(run, whole), run_in_title)
            run, forms = [], None
        if forms is not None:
            in_title = token.start < title_end
            if not {_PART + form for form in forms} & excluded:
                add(forms, in_title)
            run_in_title = in_title if not run else run_in_title
            run.append(forms)
    add(_joined(run, whole), run_in_title)
    kept = {key: title for key, title in found.items() if len(key) >= MIN_SKELETON and key not in excluded}
    return (frozenset(f"{lang}:{key}" for key in kept),
            frozenset(f"{lang}:{key}" for key, title in kept.items() if title))


def _joined(run: list[set[str]], whole: bool) -> set[str]:
    """Names written as several words, as one: every pair of neighbours, and (`whole`) the whole run."""
    if len(run) < 2:
        return set()
    joined = {first + second for left, right in pairwise(run) for first in left for second in right}
    if whole:
        joined.add("".join(min(forms, key=len) for forms in run))
    return joined


def _name_forms(text: str, token: Token, known: Callable[[Token], bool], excluded: frozenset[str]) -> set[str] | None:
    """The skeletons the token may be a name in, or None when it is no name (a lexicon word, a word of a
    gazetteer name or of an everyday one)."""
    if token.script == "arabic":
        forms = set(_arabic_skeletons(token.norm))
    elif token.script in ("latin", "cyrillic") and text[token.start:token.start + 1].isupper() \
            and len(token.norm) >= 3 and token.norm not in _ARTICLES:
        forms = {skeleton(token.norm)}
    else:
        return None
    if forms & excluded or forms & _everyday() or known(token):
        return None
    if token.script == "cyrillic" and {skeleton(form) for form in candidates(token, "ru")} & excluded:
        return None  # "Идлибской": an adjective of a listed name
    return forms


@lru_cache(maxsize=65536)
def _arabic_skeletons(word: str) -> frozenset[str]:
    """The skeletons of an Arabic word without its proclitics ("والمسطومة" is also "مسطومة")."""
    return frozenset(skeleton(form) for form in arabic_forms(word) | {word} if word.endswith(form))


@cache
def _everyday() -> frozenset[str]:
    return frozenset(key.removeprefix(_PART) for name in EVERYDAY for key in name_skeletons(tokenize(name)))


def tied(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Whether a name of one side is a name of the other in another language (each name of the smaller
    side is looked up in the other)."""
    if len(mine) > len(theirs):
        mine, theirs = theirs, mine
    for name in mine:
        lang, _, key = name.partition(":")
        if any(other != lang and f"{other}:{key}" in theirs for other in _LANGS):
            return True
    return False


def name_skeletons(tokens: Sequence[Token]) -> frozenset[str]:
    """The skeletons a listed (gazetteer) name is written in: its words together, or its one word; and
    each word of a name of several words, marked "+"."""
    words = [token for token in tokens if token.norm not in _ARTICLES]
    each = [{skeleton(form) for form in arabic_forms(token.norm) | {token.norm} if token.norm.endswith(form)}
            if token.script == "arabic" else {skeleton(token.norm)} for token in words]
    if len(each) == 1:
        return frozenset(each[0])
    return frozenset(_joined(each, whole=True) | {_PART + form for forms in each for form in forms})
