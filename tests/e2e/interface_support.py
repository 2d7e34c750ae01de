"""Helpers for the interface end-to-end tests: reading inline keyboards and pressing their buttons.

The bot and the fakes come from test_end_to_end.py's `harness` fixture (the real application against
fake Telegram, feeds and translator); a press is a callback_query update, and the bot's answer to it is
the answerCallbackQuery call carrying the same callback_query_id.
"""

from __future__ import annotations

from typing import Any

from test_end_to_end import WAIT, Harness

from bot.core.interface.bidi import FSI, LRI, PDI, RLI, RLM

Message = dict[str, Any]
MARKS = {ord(mark): None for mark in (RLM, LRI, RLI, FSI, PDI)}


def unmarked(text: str) -> str:
    """What the user reads, without the invisible direction marks."""
    return text.translate(MARKS)


def buttons(message: Message) -> list[tuple[str, str]]:
    """(caption, callback data) of every inline button under a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def button(message: Message, caption_part: str) -> str:
    """The callback data of the button whose caption contains `caption_part`."""
    found = [data for caption, data in buttons(message) if caption_part in unmarked(caption)]
    assert len(found) == 1, f"one button with {caption_part!r} expected in {buttons(message)}"
    return found[0]


def answer_to(h: Harness, query_id: str) -> str | None:
    """The text the bot answered a callback query with ("" for a silent answer), None before it answers."""
    for params in h.api.calls_to("answerCallbackQuery"):
        if str(params.get("callback_query_id")) == query_id:
            return str(params.get("text") or "")
    return None


async def press(h: Harness, chat_id: int, message: Message, data: str, language_code: str = "en") -> str:
    """Press a button (any callback data) under `message`; returns the bot's answer, once it came."""
    update = h.api.user_presses(chat_id, data, message["message_id"], language_code=language_code)
    query_id = update["callback_query"]["id"]
    await h.app.wait_until(lambda: answer_to(h, query_id) is not None, WAIT,
                           f"an answer to the button {data!r} in chat {chat_id}")
    return unmarked(answer_to(h, query_id) or "")


def current(h: Harness, message: Message) -> Message:
    """The message as the user sees it now (edits applied)."""
    return next(m for m in h.inbox(message["chat_id"]) if m["message_id"] == message["message_id"])
