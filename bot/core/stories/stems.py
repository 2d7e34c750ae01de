"""Finding lexicon entries in a text quickly: stems indexed by their first word (pure).

A text is read once into `Word`s (each token with the forms stems are compared with); a `StemTable`
holds the entries of one lexicon table in one language, in priority order (more words first, then longer
stems), indexed by the first stem so that each word looks up only the entries that can start with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.matching.text import Token, arabic_forms, candidates, tokenize


@dataclass(frozen=True)
class Word:
    """A token as stems see it: `starts` are compared with prefix stems, `exact` with "=" stems."""

    starts: frozenset[str]
    exact: frozenset[str]


def words_of(tokens: Sequence[Token], lang: str) -> list[Word]:
    """The words of a text in language `lang`."""
    words = []
    for token in tokens:
        starts = arabic_forms(token.norm) if token.script == "arabic" else {token.norm}
        words.append(Word(frozenset(starts), frozenset(candidates(token, lang) | {token.norm})))
    return words


def _stems(phrase: str) -> tuple[str, ...]:
    """The stems of a phrase, word by word; a word written with "=" matches only as a whole word."""
    stems: list[str] = []
    for word in phrase.split():
        norms = [token.norm for token in tokenize(word.rstrip("="))]
        if norms and word.endswith("="):
            norms[-1] += "="
        stems.extend(norms)
    return tuple(stems)


def _matches(word: Word, stem: str) -> bool:
    if stem.endswith("="):
        return stem[:-1] in word.exact
    return any(form.startswith(stem) for form in word.starts)


@dataclass(frozen=True)
class StemTable:
    """Entries (kind, stems in a row) of one language, in priority order, indexed by their first stem."""

    entries: tuple[tuple[str, tuple[str, ...]], ...]
    by_prefix: Mapping[str, tuple[int, ...]]
    by_exact: Mapping[str, tuple[int, ...]]
    lengths: tuple[int, ...] = ()
    """The lengths of the prefix stems that start entries, shortest first (a word is cut only at these)."""

    @classmethod
    def build(cls, table: Mapping[str, Mapping[str, Iterable[str]]], lang: str) -> StemTable:
        """The entries of `table` (kind -> language -> phrases) for `lang`."""
        entries = sorted(((kind, _stems(phrase)) for kind, by_lang in table.items()
                          for phrase in by_lang.get(lang, ())), key=lambda e: (-len(e[1]), -sum(map(len, e[1])), e))
        by_prefix: dict[str, list[int]] = {}
        by_exact: dict[str, list[int]] = {}
        for index, (_, stems) in enumerate(entries):
            if not stems:
                continue
            first = stems[0]
            target = by_exact if first.endswith("=") else by_prefix
            target.setdefault(first.rstrip("="), []).append(index)
        return cls(tuple(entries), {k: tuple(v) for k, v in by_prefix.items()},
                   {k: tuple(v) for k, v in by_exact.items()}, tuple(sorted({len(k) for k in by_prefix})))

    def _starting_at(self, word: Word) -> list[int]:
        found = {index for form in word.exact for index in self.by_exact.get(form, ())}
        for form in word.starts:
            for end in self.lengths:
                if end > len(form):
                    break
                found.update(self.by_prefix.get(form[:end], ()))
        return sorted(found)

    def kinds(self, words: Sequence[Word]) -> frozenset[str]:
        """Kinds named in the text; at each position the first entry (in priority order) that matches wins."""
        found: set[str] = set()
        position = 0
        while position < len(words):
            width = 1
            for index in self._starting_at(words[position]):
                kind, stems = self.entries[index]
                window = words[position:position + len(stems)]
                if len(window) == len(stems) and all(_matches(w, s) for w, s in zip(window, stems, strict=True)):
                    found.update({kind} if kind else set())
                    width = len(stems)
                    break
            position += width
        return frozenset(found)
