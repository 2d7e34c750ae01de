"""Weighing the evidence for one concept in one text: terms, ambiguous mentions, context and vetoes.

A `terms` phrase matches on its own. An `ambiguous` phrase ("M4", "the international road") needs
context: each distinct `context` phrase weighs 1, each distinct `strong_context` phrase (a named Syrian
place, the corridor and joint-patrol vocabulary, Syrian actors) weighs 2; each distinct `vetoes`
phrase (a look-alike place or word: London, Moscow, motorway) weighs 1 against, and each `strong_vetoes`
phrase (a look-alike product: Apple, BMW, carbine) 2 against; the context must weigh more than the
vetoes. The same weighing applies to terms when the concept has vetoes (a user's "not:" words).
A `sentence_vetoes` phrase in the same sentence as an ambiguous mention names another road or subject
("M5", "Aleppo–Damascus", «Дон») and cancels that mention whatever the context.
A veto inside a longer context phrase ("Moscow" in "the Moscow protocol") does not count, nor does
context inside a longer veto phrase. The result keeps every number so /test can show the weighing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.models import Concept

WEIGHTS = {"context": 1, "strong_context": 2, "vetoes": 1, "strong_vetoes": 2}
CONTEXT_KINDS = ("context", "strong_context")
VETO_KINDS = ("vetoes", "strong_vetoes")


@dataclass(frozen=True)
class Hit:
    """One phrase of one concept found in the text, with its span and sentence number."""

    kind: str
    phrase: str
    quote: str
    start: int
    end: int = 0
    sentence: int = 0
    group: int = -1  # which of the concept's sentence_vetoes, for that kind


@dataclass(frozen=True)
class Weighing:
    """How a concept was decided: what was found, what counted for and against, and the outcome."""

    matched: bool
    quotes: tuple[str, ...]  # the terms, else the ambiguous mentions that survived
    context: tuple[tuple[str, int], ...]  # (quote, weight)
    vetoes: tuple[tuple[str, int], ...]
    cancelled: tuple[tuple[str, str], ...]  # (ambiguous mention, the sentence veto that cancelled it)
    needs_context: bool  # no term matched: the decision rested on context

    @property
    def for_weight(self) -> int:
        return sum(weight for _, weight in self.context)

    @property
    def against_weight(self) -> int:
        return sum(weight for _, weight in self.vetoes)


def _inside(inner: Hit, outer: Hit) -> bool:
    longer = (outer.end - outer.start) > (inner.end - inner.start)
    return outer.start <= inner.start and inner.end <= outer.end and longer


def _not_inside(hits: Sequence[Hit], others: Sequence[Hit]) -> list[Hit]:
    return [hit for hit in hits if not any(_inside(hit, other) for other in others)]


def _weighted(hits: Iterable[Hit]) -> tuple[tuple[str, int], ...]:
    by_phrase: dict[str, tuple[str, int]] = {}
    for hit in hits:
        by_phrase.setdefault(hit.phrase, (hit.quote, WEIGHTS[hit.kind]))
    return tuple(by_phrase.values())


def _cancelling(concept: Concept, mention: Hit, sentence_vetoes: Sequence[Hit]) -> Hit | None:
    for veto in sentence_vetoes:
        if veto.sentence != mention.sentence or _inside(mention, veto) or _inside(veto, mention):
            continue
        applies_to = concept.sentence_vetoes[veto.group].applies_to
        if not applies_to or mention.phrase in applies_to:
            return veto
    return None


def weigh(concept: Concept, hits: Sequence[Hit]) -> Weighing | None:
    """The decision for `concept` given its hits; None when neither a term nor an ambiguous phrase was found."""
    ordered = sorted(hits, key=lambda h: h.start)
    terms = [h for h in ordered if h.kind == "terms"]
    ambiguous = [h for h in ordered if h.kind == "ambiguous"]
    if not terms and not ambiguous:
        return None
    sentence_vetoes = [h for h in ordered if h.kind == "sentence_vetoes"]
    surviving, cancelled = [], []
    for mention in ambiguous:
        veto = _cancelling(concept, mention, sentence_vetoes)
        if veto is None:
            surviving.append(mention)
        else:
            cancelled.append((mention.quote, veto.quote))
    context_hits = [h for h in ordered if h.kind in CONTEXT_KINDS]
    veto_hits = [h for h in ordered if h.kind in VETO_KINDS]
    context = _weighted(_not_inside(context_hits, veto_hits))
    vetoes = _weighted(_not_inside(veto_hits, context_hits + terms))
    for_weight = sum(w for _, w in context)
    against = sum(w for _, w in vetoes)
    if terms:
        matched = not vetoes or for_weight > against
    else:
        matched = bool(surviving) and for_weight > 0 and for_weight > against
    quotes = _unique(h.quote for h in (terms or surviving or ambiguous))
    return Weighing(matched, quotes, context, vetoes, tuple(dict.fromkeys(cancelled)), not terms)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def reason(weighing: Weighing) -> str:
    """A one-line English account of the decision (logs and the eval command)."""
    text = f"matched {', '.join(map(repr, weighing.quotes))}" if weighing.matched else \
        f"found {', '.join(map(repr, weighing.quotes))} but not matched"
    if weighing.context:
        text += " with context " + ", ".join(f"{q!r} (+{w})" for q, w in weighing.context)
    if weighing.vetoes:
        text += " against " + ", ".join(f"{q!r} (-{w})" for q, w in weighing.vetoes)
    for mention, veto in weighing.cancelled:
        text += f"; {mention!r} cancelled by {veto!r} in the same sentence"
    return text
