"""Benchmark (not a test): entries matched per second with 10, 1,000 and 100,000 subscriber keywords.

The compiled matcher (one index over every subscriber's keywords) is timed beside a naive loop that
checks each keyword on its own, in the same run, and the ratio is printed.

    python scripts/bench_matching.py [--corpus ../shared/corpus/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from bot.adapters.config_files import load_builtin_concepts
from bot.core.matching.keywords import AddRequest, build_user_concept
from bot.core.matching.matcher import Matcher, SubscriptionMatcher, entry_text
from bot.core.models import SubscriberKeyword

REPO = Path(__file__).resolve().parents[1]
SYLLABLES = ["sa", "ra", "qib", "ma", "ar", "kaf", "ran", "bel", "ta", "naz", "jis", "hu", "dan", "zor", "mi", "lo"]


def synthetic_keywords(count: int, rng: random.Random) -> list[SubscriberKeyword]:
    """`count` keywords over count/5 subscribers: the built-ins for each, plus invented town names."""
    builtins = load_builtin_concepts(REPO / "config" / "keywords.toml", REPO / "config" / "places.toml")
    keywords: list[SubscriberKeyword] = []
    chat = 0
    while len(keywords) < count:
        chat += 1
        for concept in builtins:
            keywords.append(SubscriberKeyword(chat, concept))
        for _ in range(3):
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            keywords.append(SubscriberKeyword(chat, build_user_concept(AddRequest(name), {}, None)))
    return keywords[:count]


def texts(corpus: Path) -> list[tuple[str, str | None]]:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(entry_text(r["title"], r.get("summary", "")), r.get("lang")) for r in rows]


def rate(work: list[tuple[str, str | None]], match: object, budget: float) -> float:
    """Entries per second, running over `work` until `budget` seconds are spent (at least one entry)."""
    done, start = 0, time.perf_counter()
    while True:
        for text, lang in work:
            match(text, lang)  # type: ignore[operator]
            done += 1
            if time.perf_counter() - start > budget:
                return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "dev.jsonl"))
    parser.add_argument("--seconds", type=float, default=3.0, help="time budget per measurement")
    args = parser.parse_args()
    work = texts(Path(args.corpus))
    rng = random.Random(42)
    print(f"{len(work)} corpus entries, time budget {args.seconds:g}s per measurement")
    print("match/s: the compiled matcher deciding which keyword concepts an entry matches;")
    print("route/s: that plus fanning out to every subscriber of those concepts (output grows with subscribers);")
    print("naive/s: a loop over every subscriber keyword checked on its own, routing the same way.")
    print(f"{'keywords':>9} {'distinct':>9} {'build s':>8} {'match/s':>9} {'route/s':>9} {'naive/s':>9} {'ratio':>7}")
    for count in (10, 1_000, 100_000):
        keywords = synthetic_keywords(count, rng)
        start = time.perf_counter()
        compiled = SubscriptionMatcher(keywords)
        build = time.perf_counter() - start
        singles = [(k.chat_id, Matcher([k.concept])) for k in keywords]

        def naive(text: str, lang: str | None, singles: list[tuple[int, Matcher]] = singles) -> set[int]:
            return {chat for chat, matcher in singles if matcher.match(text, lang)}

        def fast(text: str, lang: str | None, compiled: SubscriptionMatcher = compiled) -> set[int]:
            return set(compiled.route(text, "", lang))

        assert all(naive(t, lang) == fast(t, lang) for t, lang in work[:20]), "the two must agree"
        match_rate = rate(work, compiled.matcher.match, args.seconds)
        compiled_rate = rate(work, fast, args.seconds)
        naive_rate = rate(work, naive, args.seconds)
        distinct = len(compiled.matcher.concepts)
        print(f"{count:>9} {distinct:>9} {build:>8.2f} {match_rate:>9.0f} {compiled_rate:>9.0f} {naive_rate:>9.1f} "
              f"{compiled_rate / naive_rate:>6.0f}x")


if __name__ == "__main__":
    main()
