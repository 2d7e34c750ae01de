"""Inline-button callback data: a small versioned format, validated before anything acts on it.

A button carries "v1:<action>[:<argument>...]" (Telegram allows at most 64 bytes). Anyone can send any
callback data to a bot, and old messages keep their buttons for ever, so `parse` accepts only the
current version, a known action and arguments of the expected shape; everything else is None, which
the handlers answer with "this button is no longer valid" and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64

KEYWORD_REMOVE = "kw-rm"
"""Remove one of my keywords: argument is the keyword's id."""
MENU = "menu"
"""Show a page of the settings menu: argument is the page ("main", "ui", "tr"...)."""
SET = "set"
"""Change a setting: arguments are the setting and the chosen value ("ui", "ar")."""

MUTE_KEYWORD = "mute-kw"
"""Mute the keyword of an alert for a while: argument is the alert's outbox id."""
MUTE_SOURCE = "mute-src"
"""Mute the source of an alert for a while: argument is the alert's outbox id."""
SHOW_ORIGINAL = "orig"
"""Show an alert's original text: argument is the alert's outbox id."""
SHOW_TRANSLATION = "trans"
"""Show an alert as sent, with its translation: argument is the alert's outbox id."""
ALERT_ACTIONS = (MUTE_KEYWORD, MUTE_SOURCE, SHOW_ORIGINAL, SHOW_TRANSLATION)

CHANNEL_EDIT = "ch"
"""Show one of my connected channels with its settings: argument is the channel's chat id."""
CHANNEL_LANGUAGE = "ch-lang"
"""Set the language a channel's alerts are translated into: arguments are the channel's chat id and the code."""
CHANNEL_DISCONNECT = "ch-off"
"""Disconnect one of my channels: argument is the channel's chat id."""
CHANNEL_LIST = "ch-list"
"""Back to the list of my channels: argument is always "all"."""
CHANNEL_ACTIONS = (CHANNEL_EDIT, CHANNEL_LANGUAGE, CHANNEL_DISCONNECT, CHANNEL_LIST)

_ID = re.compile(r"[1-9][0-9]{0,17}")
_CHAT = re.compile(r"-[1-9][0-9]{0,17}")
"""A group's or channel's chat id (negative)."""
_WORD = re.compile(r"[a-z][a-z0-9_-]{0,23}")
_SHAPES: dict[str, tuple[re.Pattern[str], ...]] = {
    KEYWORD_REMOVE: (_ID,),
    MENU: (_WORD,),
    SET: (_WORD, _WORD),
    **{action: (_ID,) for action in ALERT_ACTIONS},
    CHANNEL_EDIT: (_CHAT,),
    CHANNEL_LANGUAGE: (_CHAT, _WORD),
    CHANNEL_DISCONNECT: (_CHAT,),
    CHANNEL_LIST: (_WORD,),
}


@dataclass(frozen=True)
class Callback:
    """A button press, validated: the action and its arguments."""

    action: str
    args: tuple[str, ...]

    @property
    def number(self) -> int:
        """The first argument as a number (for actions whose argument is an id)."""
        return int(self.args[0])


def make(action: str, *args: object) -> str:
    """The callback data for a button; ValueError if the result would not parse back or is too long."""
    data = ":".join([VERSION, action, *map(str, args)])
    if parse(data) is None:
        raise ValueError(f"invalid callback data {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """The validated callback, or None for anything stale, unknown, malformed or oversized."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    if version != VERSION:
        return None
    action, *args = rest.split(":")
    shapes = _SHAPES.get(action)
    if shapes is None or len(args) != len(shapes):
        return None
    if not all(shape.fullmatch(arg) for shape, arg in zip(shapes, args, strict=True)):
        return None
    return Callback(action, tuple(args))
