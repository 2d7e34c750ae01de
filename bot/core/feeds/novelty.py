"""Which fetched entries are new stories: guid reuse, re-publication and edits, decided without I/O.

An entry is normally known by its identity (guid, else link, else content hash). Two real-world
habits break that:

- A feed reuses a guid for a DIFFERENT story (a CMS that numbers items per page, a recycled slot).
  When the stored entry under that identity has another link AND a dissimilar title, the fetched
  entry is a new story, kept under `reused_guid_identity(guid, link)`.
- A feed re-publishes a story with an edited title, under the same guid (known by identity: not
  new) or under a new guid but the same link (not new when the titles are still similar).

Titles are "similar" when at least half the words of the shorter one occur in the other (case and
punctuation ignored), or when either is empty (nothing to compare). The service asks storage for
the entries matching `lookup_identities` and `lookup_links`, then calls `new_entries`.
Standard library only, no I/O, no clock.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.feeds.identity import canonical_link, reused_guid_identity
from bot.core.models import ParsedEntry

__all__ = ["KnownEntries", "KnownEntry", "lookup_identities", "lookup_links", "new_entries", "same_story",
           "similar_titles"]

_WORD = re.compile(r"\w+")
_SIMILAR_SHARE = 0.5


@dataclass(frozen=True)
class KnownEntry:
    """What storage holds about an entry already recorded for the feed."""

    identity: str
    link: str | None
    title: str


def _words(title: str) -> set[str]:
    return set(_WORD.findall(title.casefold()))


def similar_titles(first: str, second: str) -> bool:
    """True when the titles could be one story's before and after an edit (see the module docstring)."""
    a, b = _words(first), _words(second)
    if not a or not b:
        return True
    return len(a & b) >= _SIMILAR_SHARE * min(len(a), len(b))


def same_story(stored: KnownEntry, entry: ParsedEntry) -> bool:
    """Whether an entry under a known identity is that stored story (perhaps edited) or another one.

    It is another story only when both links are known and differ AND the titles are not similar.
    """
    if stored.link is None or entry.link is None or canonical_link(stored.link) == canonical_link(entry.link):
        return True
    return similar_titles(stored.title, entry.title)


def lookup_identities(entries: Iterable[ParsedEntry]) -> list[str]:
    """Every identity storage must be asked about: each entry's own, and its guid-reuse identity."""
    wanted = []
    for entry in entries:
        wanted.append(entry.identity)
        if entry.guid and entry.link:
            wanted.append(reused_guid_identity(entry.guid, entry.link))
    return list(dict.fromkeys(wanted))


def lookup_links(entries: Iterable[ParsedEntry]) -> list[str]:
    """Every link storage must be asked about, as written and in canonical form."""
    links = (form for e in entries if e.link for form in (e.link, canonical_link(e.link)))
    return list(dict.fromkeys(links))


class KnownEntries:
    """The stored entries matching a fetch's lookups, indexed by identity and by canonical link."""

    def __init__(self, known: Iterable[KnownEntry]) -> None:
        self.by_identity: dict[str, KnownEntry] = {}
        self.by_link: dict[str, list[KnownEntry]] = {}
        for entry in known:
            self.by_identity[entry.identity] = entry
            if entry.link:
                self.by_link.setdefault(canonical_link(entry.link), []).append(entry)

    def novel_identity(self, entry: ParsedEntry) -> str | None:
        """The identity to record `entry` under if it is a new story, or None if storage has it already."""
        identity = entry.identity
        stored = self.by_identity.get(identity)
        if stored is not None:
            if entry.guid is None or entry.link is None or same_story(stored, entry):
                return None
            identity = reused_guid_identity(entry.guid, entry.link)
            if identity in self.by_identity:
                return None
        same_link = self.by_link.get(canonical_link(entry.link), []) if entry.link else []
        if any(similar_titles(other.title, entry.title) for other in same_link):
            return None  # re-published under a new guid, the title perhaps edited
        return identity


def new_entries(entries: Sequence[ParsedEntry], known: Iterable[KnownEntry]) -> list[ParsedEntry]:
    """The entries that are new stories, each under the identity to record it by (in input order;
    an identity occurring twice is kept once)."""
    index = KnownEntries(known)
    fresh: dict[str, ParsedEntry] = {}
    for entry in entries:
        identity = index.novel_identity(entry)
        if identity is not None and identity not in fresh:
            fresh[identity] = entry if identity == entry.identity else dataclasses.replace(entry, identity=identity)
    return list(fresh.values())
