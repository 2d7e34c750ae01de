"""Telling linear from quadratic running time on a loaded machine (imported as `linear_time`).

`assert_linear(work, make_input)` times `work` on inputs of a doubling size up to `largest` characters
(four doublings: 6.25 KB to 100 KB). Time is the CPU time of the calling thread, so other processes on a
busy machine do not count, and the best of five runs is kept at each size. It fails when one run already
takes longer than `ceiling` seconds (a linear pass over 100 KB takes milliseconds; a quadratic one takes
seconds, so the test stops early instead of hanging) or when the time grew by more than
`3 ** doublings` over the whole range (doubling the input may at most triple the time: 81x over the
range, where linear work grows 16x and quadratic work 256x). Times under `floor` are noise and pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FLOOR = 0.02
CEILING = 1.5


def best_time(work: Callable[[T], object], argument: T, runs: int = 5, ceiling: float = CEILING) -> float:
    """The shortest of `runs` timings of `work(argument)` in CPU seconds (stops after one over `ceiling`)."""
    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        work(argument)
        best = min(best, time.thread_time() - started)
        if best > ceiling:
            break
    return best


def growth(work: Callable[[T], object], make_input: Callable[[int], T], *, largest: int = 100_000,
           doublings: int = 4, ceiling: float = CEILING) -> list[tuple[int, float]]:
    """(size, best seconds) from `largest / 2**doublings` up to `largest`; stops after a run over `ceiling`."""
    timings: list[tuple[int, float]] = []
    for step in range(doublings, -1, -1):
        size = largest >> step
        timings.append((size, best_time(work, make_input(size), ceiling=ceiling)))
        if timings[-1][1] > ceiling:
            break
    return timings


def superlinear(timings: list[tuple[int, float]], *, doublings: int = 4, floor: float = FLOOR,
                ceiling: float = CEILING) -> bool:
    """Whether the timings show more than linear growth (see the module docstring)."""
    last = timings[-1][1]
    if last > ceiling:
        return True
    if last < floor:
        return False
    return last > (3 ** doublings) * max(timings[0][1], 1e-9)


def assert_linear(work: Callable[[T], object], make_input: Callable[[int], T], *, largest: int = 100_000,
                  doublings: int = 4) -> None:
    """Fail when `work` grows faster than linearly in the size of `make_input(size)`."""
    timings = growth(work, make_input, largest=largest, doublings=doublings)
    shown = ", ".join(f"{size} chars: {seconds * 1000:.1f} ms" for size, seconds in timings)
    assert not superlinear(timings, doublings=doublings), f"superlinear running time: {shown}"
