"""How keywords are shown to their owner: /keywords, the reply to /add, and the /test explanation.

Plain text (no HTML) in the interface language; every spelling is isolated in right-to-left text so
a list mixing إدلب, Idlib and Идлиб keeps its order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.interface.i18n import Texts
from bot.core.matching.matcher import Matcher
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
    vetoes = [w for lang in LANGUAGES for w in concept.vetoes.get(lang, ())]
    if vetoes:
        lines.append("  " + t.gettext("except with: {words}", words=_words(vetoes, t)))
    return "\n".join(lines)


def keywords_text(concepts: Iterable[Concept], t: Texts, limit: int = 4000) -> str:
    """The reply to /keywords: every keyword described, cut to `limit` characters."""
    text = t.gettext("Your keywords:") + "\n\n" + "\n\n".join(describe_concept(c, t) for c in concepts)
    text = t.layout(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Explanation:
    """Why a text matches a keyword: the words that matched, and the context words when they were needed."""

    label: str
    quotes: tuple[str, ...]
    context: tuple[str, ...]


def explain(concepts: Sequence[Concept], text: str, lang: str | None) -> list[Explanation]:
    """Which of `concepts` the text matches, quoting the words."""
    matcher = Matcher(concepts)
    hits = matcher.hits(text, lang)
    number = {id(concept): index for index, concept in enumerate(matcher.concepts)}
    explanations = []
    for match in matcher.match(text, lang):
        found = hits[number[id(match.concept)]]
        context: tuple[str, ...] = ()
        if not any(hit.kind == "terms" for hit in found):
            context = tuple(dict.fromkeys(hit.quote for hit in found if hit.kind == "context"))
        explanations.append(Explanation(match.concept.label, match.quotes, context))
    return explanations


def explanation_text(explanations: Sequence[Explanation], t: Texts) -> str:
    """The reply to /test."""
    if not explanations:
        return t.layout(t.gettext("None of your keywords matches this text."))
    lines = [t.gettext("Would match:")]
    for item in explanations:
        quotes = ", ".join(f"«{t.isolate(q)}»" for q in item.quotes)
        if item.context:
            context = ", ".join(f"«{t.isolate(q)}»" for q in item.context)
            lines.append(t.gettext("• {label}: matched {quotes} with context {context}",
                                   label=item.label, quotes=quotes, context=context))
        else:
            lines.append(t.gettext("• {label}: matched {quotes}", label=item.label, quotes=quotes))
    return t.layout("\n".join(lines))
