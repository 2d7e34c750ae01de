"""How keywords are shown to their owner: /keywords, the reply to /add, and the /test explanation.

Plain text (no HTML) in the interface language; every spelling is isolated in right-to-left text so
a list mixing إدلب, Idlib and Идлиб keeps its order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.interface.i18n import Texts
from bot.core.matching.keywords import SOURCE_PLACE, SOURCE_TOPIC
from bot.core.matching.matcher import MIN_PHRASE_SOUND_KEY, Matcher
from bot.core.matching.text import MIN_SOUND_KEY, sound_key, tokenize
from bot.core.models import LANGUAGES, Concept

MAX_LISTED_WORDS = 12


def _words(words: Sequence[str], t: Texts) -> str:
    shown = ", ".join(t.isolate(word) for word in words[:MAX_LISTED_WORDS])
    return shown + (" …" if len(words) > MAX_LISTED_WORDS else "")


def describe_concept(concept: Concept, t: Texts) -> str:
    """The keyword's name, its spellings per language, and the context and exclusions it carries."""
    lines = [t.isolate(concept.label)]
    for lang in LANGUAGES:
        phrases = [*concept.terms.get(lang, ()), *concept.ambiguous.get(lang, ())]
        if phrases:
            lines.append(f"  {t.language(lang)}: {_words(phrases, t)}")
    if concept.ambiguous:
        context = [w for lang in LANGUAGES for w in concept.context.get(lang, ())]
        lines.append("  " + t.gettext("needs one of: {words}", words=_words(context, t)))
    vetoes = [w for variants in (concept.strong_vetoes, concept.vetoes) for lang in LANGUAGES
              for w in variants.get(lang, ())]
    if vetoes:
        lines.append("  " + t.gettext("except with: {words}", words=_words(vetoes, t)))
    keys = sound_keys(concept)
    if keys:
        lines.append("  " + t.gettext("and names that sound like: {keys}", keys=", ".join(keys)))
    return "\n".join(lines)


def sound_keys(concept: Concept) -> tuple[str, ...]:
    """The consonant skeletons a sound-alike keyword is also matched by ("srkb" for Saraqib, سراقب, Serakib)."""
    if not concept.sound_alike:
        return ()
    keys: dict[str, None] = {}
    for variants in (concept.terms, concept.ambiguous):
        for phrases in variants.values():
            for phrase in phrases:
                skeleton = [sound_key(token.norm) for token in tokenize(phrase)]
                long_enough = MIN_SOUND_KEY if len(skeleton) == 1 else MIN_PHRASE_SOUND_KEY
                if all(len(key) >= 2 for key in skeleton) and sum(map(len, skeleton)) >= long_enough:
                    keys.setdefault(" ".join(skeleton))
    return tuple(keys)


def source_note(source: str, followed: str, term: str, t: Texts) -> str:
    """What the reply to /add (of the raw text `term`) says about where the spellings came from."""
    if source == SOURCE_TOPIC:
        head = term.split("|")[0].split(",")[0].strip()
        return t.gettext("Followed the topic “{topic}” of the topic list: every word shown is matched. To change "
                         "its words, /remove it and add it again with your own: {syntax}",
                         topic=followed, syntax=f"/add {head}, …")
    if source == SOURCE_PLACE:
        return t.gettext("Found in the gazetteer as “{place}”.", place=followed)
    return t.gettext("Not in the topic list or the gazetteer: spelled by the translator and in the other "
                     "scripts by rule; names that sound alike are matched too.")


def keywords_text(concepts: Iterable[Concept], t: Texts, limit: int = 4000) -> str:
    """The reply to /keywords: every keyword described, cut to `limit` characters."""
    text = t.gettext("Your keywords:") + "\n\n" + "\n\n".join(describe_concept(c, t) for c in concepts)
    text = t.layout(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Explanation:
    """Why a text matches a keyword, or was found but not matched: the words that matched, and the weighing
    of context (quote, weight) against vetoes when the decision needed it."""

    label: str
    quotes: tuple[str, ...]
    context: tuple[tuple[str, int], ...] = ()
    vetoes: tuple[tuple[str, int], ...] = ()
    cancelled: tuple[tuple[str, str], ...] = ()
    matched: bool = True


def explain(concepts: Sequence[Concept], text: str, lang: str | None) -> list[Explanation]:
    """Every concept a term or ambiguous phrase of which is in the text, matched or not, with its weighing."""
    explanations = []
    for concept, weighing in Matcher(concepts).weighings(text, lang):
        shown = weighing.needs_context or bool(weighing.vetoes)
        explanations.append(Explanation(
            concept.label, weighing.quotes, weighing.context if shown else (), weighing.vetoes,
            weighing.cancelled, weighing.matched))
    return explanations


def _weighed(items: Sequence[tuple[str, int]], sign: str, t: Texts) -> str:
    return ", ".join(f"«{t.isolate(quote)}» {sign}{weight}" for quote, weight in items) or "—"


def _lines(item: Explanation, t: Texts) -> list[str]:
    quotes = ", ".join(f"«{t.isolate(q)}»" for q in item.quotes)
    context = _weighed(item.context, "+", t)
    if item.matched and not item.context:
        lines = [t.gettext("• {label}: matched {quotes}", label=item.label, quotes=quotes)]
    elif item.matched:
        lines = [t.gettext("• {label}: matched {quotes} with context {context}",
                           label=item.label, quotes=quotes, context=context)]
    elif item.cancelled and len(item.cancelled) == len(item.quotes):
        lines = [t.gettext("• {label}: found {quotes}, but each mention names something else",
                           label=item.label, quotes=quotes)]
    else:
        lines = [t.gettext("• {label}: found {quotes}, but the context does not outweigh the vetoes",
                           label=item.label, quotes=quotes)]
    if item.vetoes or not item.matched:
        lines.append("  " + t.gettext("for: {context} = {total}", context=context,
                                      total=sum(w for _, w in item.context)))
        lines.append("  " + t.gettext("against: {vetoes} = {total}", vetoes=_weighed(item.vetoes, "−", t),
                                      total=sum(w for _, w in item.vetoes)))
    for mention, veto in item.cancelled:
        lines.append("  " + t.gettext("«{mention}» does not count: «{veto}» in the same sentence names something else",
                                      mention=t.isolate(mention), veto=t.isolate(veto)))
    return lines


def explanation_text(explanations: Sequence[Explanation], t: Texts) -> str:
    """The reply to /test: what would match and how it was weighed, then what was found but not matched."""
    matched = [item for item in explanations if item.matched]
    dropped = [item for item in explanations if not item.matched]
    lines = [t.gettext("Would match:")] if matched else [t.gettext("None of your keywords matches this text.")]
    for item in matched:
        lines.extend(_lines(item, t))
    if dropped:
        lines.append(t.gettext("Found, but not matched:"))
        for item in dropped:
            lines.extend(_lines(item, t))
    return t.layout("\n".join(lines))
