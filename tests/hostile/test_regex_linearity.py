"""Every regular expression in bot/ runs in linear time on adversarial input (issue 12, acceptance).

The patterns are found two ways, so a new one is covered wherever it is written: compiled patterns held
by a module (every module under bot/ but the Alembic scripts is imported; none does work at import
time) and pattern literals passed to `re.compile`, `re.sub`, `re.split` and friends anywhere in the
source (found with `ast`).
Each is timed the way the bot uses it (the methods called on its name anywhere in bot/): a pattern only
ever `.match`ed at a position is timed on one match, one used to scan a text on a whole scan; one whose
uses cannot be seen is timed both ways.

Adversarial inputs are built from the characters each pattern itself mentions (its literals, the ends
of its ranges, samples of its classes) plus letters of the bot's scripts: one character repeated, or
two alternating, then a terminator the pattern may choke on ("a" * n + "!" is what made the old
Cache-Control pattern quadratic). Each pattern is screened on every input at 64 characters (nested
quantifiers are exponential there already) and at 512; the two slowest inputs are then timed from
6.25 KB up to 100 KB (linear_time.assert_linear: doubling the input may at
most triple the time, CPU time, best of five runs, so a loaded machine does not fail it).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from collections.abc import Iterator
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest
from linear_time import assert_linear

import bot

BOT_DIR = Path(bot.__file__).resolve().parent
RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
FLAGS_POSITION = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "split": 3, "findall": 2, "finditer": 2,
                  "sub": 4, "subn": 4}
ALWAYS = "a1 \x00é\u0627<&"  # Latin and Arabic letters, a digit, space, a control and markup
SAMPLES = {
    sre.CATEGORY_DIGIT: "1", sre.CATEGORY_NOT_DIGIT: "a", sre.CATEGORY_SPACE: " \t", sre.CATEGORY_NOT_SPACE: "a",
    sre.CATEGORY_WORD: "a_1", sre.CATEGORY_NOT_WORD: " .", sre.CATEGORY_LINEBREAK: "\n",
    sre.CATEGORY_NOT_LINEBREAK: "a",
}
MAX_OWN_CHARS = 8
SCREEN_SIZE = 512
TINY_SIZE = 64
SLOWEST_KEPT = 2


Pattern = re.Pattern[str] | re.Pattern[bytes]
SCANNING = {"search", "finditer", "findall", "sub", "subn", "split"}


def _sources() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(BOT_DIR.rglob("*.py"))]


def _methods_called_on(trees: list[ast.Module]) -> dict[str, set[str]]:
    """For every name, the methods called on it anywhere in bot/ (`_TOKEN.finditer(...)` -> finditer)."""
    methods: dict[str, set[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                methods.setdefault(node.value.id, set()).add(node.attr)
    return methods


def _module_patterns(methods: dict[str, set[str]]) -> Iterator[tuple[Pattern, set[str]]]:
    for module_info in pkgutil.walk_packages([str(BOT_DIR)], prefix="bot."):
        if ".migrations" in module_info.name:  # Alembic scripts run only under Alembic (their literals are read)
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield value, methods.get(name, set()) & (RE_FUNCTIONS - {"compile"})


def _flags(call: ast.Call, function: str) -> int:
    position = FLAGS_POSITION[function]
    node = next((k.value for k in call.keywords if k.arg == "flags"), None)
    if node is None and len(call.args) > position:
        node = call.args[position]
    if node is None:
        return 0
    value = eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re})  # our own source: re.I | re.S
    return int(value)


def _literal_patterns(trees: list[ast.Module]) -> Iterator[tuple[Pattern, set[str]]]:
    for tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in RE_FUNCTIONS and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            source = node.args[0].value
            if isinstance(source, str | bytes):
                used = set() if node.func.attr == "compile" else {node.func.attr}  # compiled: see its name
                yield re.compile(source, _flags(node, node.func.attr)), used


def all_patterns() -> list[tuple[Pattern, frozenset[str]]]:
    """Every pattern of bot/ with the ways it is used: scanning a text, or matching at one position."""
    trees = _sources()
    found: dict[tuple[object, int], tuple[Pattern, set[str]]] = {}
    for pattern, used in [*_module_patterns(_methods_called_on(trees)), *_literal_patterns(trees)]:
        known = found.setdefault((pattern.pattern, pattern.flags), (pattern, set()))
        known[1].update(used)
    worst = {"finditer", "fullmatch"}  # a pattern whose uses cannot be seen (passed around) is timed both ways
    return [(pattern, frozenset(used or worst)) for pattern, used in (found[key] for key in sorted(found, key=repr))]


def _chars(parsed: object) -> tuple[set[int], set[int]]:
    """(characters the pattern mentions, characters it excludes) from its parse tree."""
    mentioned: set[int] = set()
    excluded: set[int] = set()
    for op, value in parsed:  # type: ignore[attr-defined]
        if op is sre.LITERAL:
            mentioned.add(value)
        elif op is sre.NOT_LITERAL:
            excluded.add(value)
        elif op is sre.IN:
            negated = any(item_op is sre.NEGATE for item_op, _ in value)
            target = excluded if negated else mentioned
            for item_op, item in value:
                if item_op is sre.LITERAL:
                    target.add(item)
                elif item_op is sre.RANGE:
                    target.update({item[0], item[1], (item[0] + item[1]) // 2})
                elif item_op is sre.CATEGORY:
                    mentioned.update(map(ord, SAMPLES.get(item, "")))
        elif op is sre.CATEGORY:
            mentioned.update(map(ord, SAMPLES.get(value, "")))
        else:
            for child in _children(op, value):
                inner_mentioned, inner_excluded = _chars(child)
                mentioned |= inner_mentioned
                excluded |= inner_excluded
    return mentioned, excluded


def _children(op: object, value: object) -> list[object]:
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        return [value[2]]  # type: ignore[index]
    if op is sre.SUBPATTERN:
        return [value[3]]  # type: ignore[index]
    if op is sre.BRANCH:
        return list(value[1])  # type: ignore[index]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [value[1]]  # type: ignore[index]
    if op is sre.ATOMIC_GROUP:
        return [value]
    if op is sre.GROUPREF_EXISTS:
        return [branch for branch in value[1:] if branch is not None]  # type: ignore[index]
    return []


def adversarial_inputs(pattern: Pattern) -> list[tuple[str, str, str]]:
    """(run, terminator) shapes for `pattern`: the input of size n is run * (n // len(run)) + terminator."""
    mentioned, excluded = _chars(sre_parse.parse(pattern.pattern, pattern.flags))
    limit = 0x100 if isinstance(pattern.pattern, bytes) else 0x110000
    own = {chr(c) for c in [*sorted(excluded), *sorted(mentioned - excluded)] if c < limit}
    own = set(sorted(own, key=lambda c: (ord(c) not in excluded, c))[:MAX_OWN_CHARS])
    chars = sorted(own | {c for c in ALWAYS if ord(c) < limit})
    stops = sorted({*(chr(c) for c in excluded if c < limit), "", "!"})
    shapes = [(char, end, "") for char in chars for end in [*chars, ""]]
    shapes += [(first + second, end, "") for first in chars for second in chars
               if first != second and (first in own or second in own) for end in stops]
    shapes += [(char, end, "<" + "!--") for char in chars for end in stops]  # an opener, then a long run
    return shapes


def make(pattern: Pattern, shape: tuple[str, str, str], size: int) -> str | bytes:
    run, end, start = shape
    text = start + run * (size // len(run)) + end
    return text.encode("latin-1") if isinstance(pattern.pattern, bytes) else text


def exhaust(pattern: Pattern, used: frozenset[str], text: str | bytes) -> None:
    """What the bot does with the pattern: scan a whole text for matches, and/or match at one position."""
    if used & SCANNING:
        for _ in pattern.finditer(text):  # type: ignore[arg-type]
            pass
    if "match" in used:
        pattern.match(text)  # type: ignore[arg-type]
    if "fullmatch" in used:
        pattern.fullmatch(text)  # type: ignore[arg-type]


def timed(pattern: Pattern, used: frozenset[str], text: str | bytes) -> float:
    started = time.thread_time()
    exhaust(pattern, used, text)
    return time.thread_time() - started


def test_the_patterns_of_the_bot_are_all_found_with_their_uses() -> None:
    uses = {pattern.pattern: used for pattern, used in all_patterns()}
    assert len(uses) > 20
    assert uses[r"\s+"] >= {"sub"}  # an inline re.sub literal (bot/core/matching/keywords.py)
    from bot.core.feeds.html import _TAG_START
    from bot.core.matching.text import _TOKEN

    assert uses[_TAG_START.pattern] == {"search"}  # module-level compiled patterns, and how they are called
    assert uses[_TOKEN.pattern] == {"finditer"}


PATTERNS = all_patterns()


@pytest.mark.parametrize(("pattern", "used"), PATTERNS, ids=[repr(p.pattern)[:60] for p, _ in PATTERNS])
def test_every_regular_expression_is_linear(pattern: Pattern, used: frozenset[str]) -> None:
    shapes = adversarial_inputs(pattern)
    for shape in shapes:  # nested quantifiers blow up on short input already: refuse before going further
        assert timed(pattern, used, make(pattern, shape, TINY_SIZE)) < 0.25, f"exponential on {shape!r}"
    screened = sorted(shapes, key=lambda shape: timed(pattern, used, make(pattern, shape, SCREEN_SIZE)),
                      reverse=True)
    for shape in screened[:SLOWEST_KEPT]:
        assert_linear(lambda text: exhaust(pattern, used, text), lambda size, shape=shape: make(pattern, shape, size))
