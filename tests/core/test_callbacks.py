"""Callback data of inline buttons: versioned, short, and anything unexpected is refused."""

from __future__ import annotations

import pytest

from bot.core.interface import callbacks
from bot.core.interface.callbacks import KEYWORD_REMOVE, MAX_BYTES, MENU, SET, Callback, make, parse


def test_round_trip_of_every_action() -> None:
    assert parse(make(KEYWORD_REMOVE, 42)) == Callback(KEYWORD_REMOVE, ("42",))
    assert parse(make(KEYWORD_REMOVE, 42)).number == 42  # type: ignore[union-attr]
    assert parse(make(MENU, "main")) == Callback(MENU, ("main",))
    assert parse(make(SET, "ui", "ar")) == Callback(SET, ("ui", "ar"))
    assert make(KEYWORD_REMOVE, 7) == "v1:kw-rm:7"


def test_the_largest_id_fits_telegrams_limit() -> None:
    data = make(KEYWORD_REMOVE, 10**18 - 1)
    assert len(data.encode()) <= MAX_BYTES


@pytest.mark.parametrize("data", [
    None, "", "garbage", "v1", "v1:", "v2:kw-rm:1", "V1:kw-rm:1", "v0:kw-rm:1",  # stale or foreign versions
    "v1:kw-del:1", "v1:admin:1", "v1:kw-rm", "v1:kw-rm:1:2",  # unknown actions, wrong arity
    "v1:kw-rm:0", "v1:kw-rm:-1", "v1:kw-rm:01", "v1:kw-rm:1e3", "v1:kw-rm: 1", "v1:kw-rm:١٢",  # not an id
    "v1:kw-rm:" + "9" * 19, "v1:menu:" + "a" * 60, "v1:menu:Main", "v1:menu:ui;drop", "v1:set:ui:ar:x",
    "v1:set:ui:" + "\u202e", "v1:menu:main\n",
])
def test_anything_else_is_refused(data: str | None) -> None:
    assert parse(data) is None


def test_making_invalid_data_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        make("unknown", 1)
    with pytest.raises(ValueError):
        make(KEYWORD_REMOVE, "abc")
    with pytest.raises(ValueError):
        make(MENU, "x" * 70)


def test_actions_are_short_enough_for_every_argument_shape() -> None:
    longest = ":".join([callbacks.VERSION, SET, "a" * 24, "b" * 24])
    assert parse(longest) is not None and len(longest) <= MAX_BYTES
