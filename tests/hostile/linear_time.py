"""Telling linear from quadratic running time on a loaded machine (imported as `linear_time`).

`assert_linear(work, make_input)` times `work` on inputs of a doubling size up to `largest` characters,
taking the best of a few runs at each size (the best run is the one the machine disturbed least). It
fails when one run already takes longer than `ceiling` seconds (a linear pass over 100 KB takes
milliseconds; a quadratic one takes seconds, so the test stops early instead of hanging) or when the
time grew by more than `3 ** doublings` over the whole range (doubling the input may at most triple the
time; a quadratic pattern quadruples it). Times under `floor` seconds are noise and always pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FLOOR = 0.02
CEILING = 1.5


def best_time(work: Callable[[T], object], argument: T, runs: int = 3) -> float:
    """The shortest of `runs` timings of `work(argument)`, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work(argument)
        best = min(best, time.perf_counter() - started)
    return best


def growth(work: Callable[[T], object], make_input: Callable[[int], T], *, largest: int = 100_000,
           doublings: int = 3, ceiling: float = CEILING) -> list[tuple[int, float]]:
    """(size, best seconds) from `largest / 2**doublings` up to `largest`; stops after a run over `ceiling`."""
    timings: list[tuple[int, float]] = []
    for step in range(doublings, -1, -1):
        size = largest >> step
        timings.append((size, best_time(work, make_input(size))))
        if timings[-1][1] > ceiling:
            break
    return timings


def superlinear(timings: list[tuple[int, float]], *, doublings: int = 3, floor: float = FLOOR,
                ceiling: float = CEILING) -> bool:
    """Whether the timings show more than linear growth (see the module docstring)."""
    last = timings[-1][1]
    if last > ceiling:
        return True
    if last < floor:
        return False
    return last > (3 ** doublings) * max(timings[0][1], 1e-9)


def assert_linear(work: Callable[[T], object], make_input: Callable[[int], T], *, largest: int = 100_000,
                  doublings: int = 3) -> None:
    """Fail when `work` grows faster than linearly in the size of `make_input(size)`."""
    timings = growth(work, make_input, largest=largest, doublings=doublings)
    shown = ", ".join(f"{size} chars: {seconds * 1000:.1f} ms" for size, seconds in timings)
    assert not superlinear(timings, doublings=doublings), f"superlinear running time: {shown}"
