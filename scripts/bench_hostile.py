"""Benchmark (not a test): time and peak memory of the bot's parsing code on hostile inputs (issue 12, items 2-5).

Each case runs in a fresh child process so its peak resident memory is its own; the figure printed is
the child's peak minus that of a child that only imports the same modules.

    python scripts/bench_hostile.py [--scale 1.0]

Cases: a Cache-Control header of one long token (item 2), undeclared non-UTF-8 bytes with one long
ASCII word after a non-ASCII byte (item 3), a summary with an unclosed comment followed by many tag
starts (item 4), and a feed with one junk byte before its prolog and an entity referenced thousands
of times (item 5).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cache_control(scale: float) -> Callable[[], object]:
    from bot.adapters.feeds.http_headers import cache_lifetime

    header = "a" * int(16_000 * scale) + "!"
    return lambda: cache_lifetime({"cache-control": header}, datetime.now(UTC))


def legacy_guess(scale: float) -> Callable[[], object]:
    from bot.adapters.feeds.legacy_charset import legacy_charset

    body = b"\xe9 " + b"a" * int(20_000 * scale)
    return lambda: legacy_charset(body)


def unclosed_comment(scale: float) -> Callable[[], object]:
    from bot.core.feeds.html import strip_html

    summary = "<!--" + " <a" * int(20_000 * scale) + ">"
    return lambda: strip_html(summary)


def entity_bomb(scale: float) -> Callable[[], object]:
    from bot.adapters.feeds.feed_parser import parse_feed

    value = b"x" * int(16_000 * scale)
    references = b"&a;" * int(8_000 * scale)
    body = (b'x<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + value + b'">\n]>\n'
            b"<rss version=\"2.0\"><channel><title>t</title><item><title>bomb</title><description>"
            + references + b"</description></item></channel></rss>")
    return lambda: parse_feed(body, url="http://feeds.example/rss")


CASES: dict[str, tuple[str, Callable[[float], Callable[[], object]]]] = {
    "cache-control": ("item 2: Cache-Control of 16 KB", cache_control),
    "legacy-charset": ("item 3: 20 KB undeclared non-UTF-8 body", legacy_guess),
    "unclosed-comment": ("item 4: 60 KB summary with an unclosed <!--", unclosed_comment),
    "entity-bomb": ("item 5: 66 KB feed, junk before the prolog", entity_bomb),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(case: str, scale: float) -> dict[str, float]:
    """In the child: build the input, then time one run and report the peak memory before and after."""
    build = CASES[case][1] if case in CASES else None
    job = build(scale) if build else (lambda: None)
    for _, other in CASES.values():  # import every module, so the baseline child carries the same weight
        other(0.001)
    before = _peak_mb()
    started = time.perf_counter()
    job()
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "before_mb": before}


def measure(case: str, scale: float) -> dict[str, float]:
    output = subprocess.run([sys.executable, __file__, "--child", case, "--scale", str(scale)], cwd=REPO,
                            capture_output=True, text=True, check=True, timeout=600).stdout
    return dict(json.loads(output))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input size by this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.scale)))
        return
    baseline = measure("baseline", args.scale)["peak_mb"]
    print(f"{'case':<48} {'seconds':>9} {'extra MB':>9}")
    for name, (label, _) in CASES.items():
        figures = measure(name, args.scale)
        print(f"{label:<48} {figures['seconds']:>9.3f} {max(0.0, figures['peak_mb'] - baseline):>9.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
