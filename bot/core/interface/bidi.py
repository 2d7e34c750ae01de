"""Right-to-left layout for Telegram: Unicode marks that keep Arabic lines readable around Latin text.

Telegram picks each line's direction from its first strong character, and runs of Latin letters, digits,
slashes and brackets inside an Arabic line are reordered by the Unicode bidirectional algorithm: "/add"
becomes "add/", a keyword such as "M4" drifts to the wrong end, a link's punctuation jumps. The fixes:
a right-to-left mark (RLM) at the start of every line makes the line right-to-left whatever comes first;
first-strong isolates (FSI ... PDI) around content of unknown direction (keyword names, feed names, titles)
and left-to-right isolates (LRI ... PDI) around commands and links keep those runs whole and in place.
For left-to-right languages every function here returns its input unchanged.
"""

from __future__ import annotations

import re
import unicodedata

RLM = "\u200f"
LRM = "\u200e"
LRI = "\u2066"
RLI = "\u2067"
FSI = "\u2068"
PDI = "\u2069"
RTL_LANGUAGES = frozenset({"ar"})

_INITIATORS = LRI + RLI + FSI
_COMMAND = re.compile(r"(?<![^\s(«“\"'])/[A-Za-z][A-Za-z0-9_]*")
_INNERMOST_ISOLATE = re.compile(f"[{_INITIATORS}][^{_INITIATORS}{PDI}]*{PDI}")
_TAG = re.compile(r"<[^<>]*>")  # not "[^>]": that rescans from every "<" of "<<<<"


def is_rtl(lang: str) -> bool:
    """Whether texts in `lang` are written right to left."""
    return lang in RTL_LANGUAGES


def isolate(text: str) -> str:
    """`text` as a first-strong isolate: it takes its own direction and does not disturb its neighbours."""
    return f"{FSI}{text}{PDI}" if text else text


def isolate_ltr(text: str) -> str:
    """`text` as a left-to-right isolate (commands, links, codes)."""
    return f"{LRI}{text}{PDI}" if text else text


def rtl_lines(text: str) -> str:
    """Every line starts right to left, and /commands not yet isolated are kept left to right (idempotent)."""
    lines = []
    for line in text.split("\n"):
        if line:
            line = _isolate_commands(line)
            line = line if line.startswith(RLM) else RLM + line
        lines.append(line)
    return "\n".join(lines)


def _isolate_commands(line: str) -> str:
    """Wrap /commands in LRI ... PDI, leaving text that is already inside an isolate alone."""
    parts: list[str] = []
    outside: list[str] = []
    depth = 0
    for ch in line:
        if depth == 0 and ch in _INITIATORS:
            parts.append(_COMMAND.sub(lambda m: isolate_ltr(m.group(0)), "".join(outside)))
            outside = []
        if depth == 0 and ch not in _INITIATORS:
            outside.append(ch)
        else:
            parts.append(ch)
        depth += 1 if ch in _INITIATORS else -1 if ch == PDI and depth else 0
    parts.append(_COMMAND.sub(lambda m: isolate_ltr(m.group(0)), "".join(outside)))
    return "".join(parts)


def outside_isolates(line: str) -> str:
    """`line` without HTML tags and without everything inside isolates."""
    visible = _TAG.sub("", line)
    while (stripped := _INNERMOST_ISOLATE.sub("", visible)) != visible:
        visible = stripped
    return visible


def exposed_ltr(line: str) -> str:
    """The left-to-right letters of `line` outside every isolate and HTML tag (in RTL text: should be none)."""
    return "".join(ch for ch in outside_isolates(line) if unicodedata.bidirectional(ch) == "L")


def first_strong(line: str) -> str | None:
    """The bidi class ("L", "R" or "AL") deciding the direction of `line`, skipping isolates and tags; RLM counts."""
    visible = outside_isolates(line)
    for ch in visible:
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return kind
    return None


def direction_problems(text: str, allowed: str = "") -> list[str]:
    """The lines of a right-to-left text that would display wrongly: lines that do not start right to left,
    and Latin letters outside every isolate (letters in `allowed` excepted). Empty when all is well."""
    problems = []
    for line in filter(None, text.split("\n")):
        exposed = "".join(ch for ch in exposed_ltr(line) if ch not in allowed)
        if first_strong(line) not in ("R", "AL"):
            problems.append(f"starts left to right: {line!r}")
        elif exposed:
            problems.append(f"{exposed!r} outside an isolate: {line!r}")
    return problems
