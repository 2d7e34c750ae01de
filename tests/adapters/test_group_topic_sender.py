"""TelegramSender and forum topics: a deleted or closed topic becomes TopicGone (the sender falls back to the
main chat), only when a topic was asked for; the thread id reaches sendMessage."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest

from bot.adapters.telegram.telegram_sender import TelegramSender
from bot.errors import PermanentSendError, TopicGone


class RefusingBot:
    """Records send_message calls and answers them with `error`, or a message with id 5."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[dict[str, Any]] = []

    async def send_message(self, **params: Any) -> Any:
        self.calls.append(params)
        if self.error is not None:
            raise self.error
        return type("Sent", (), {"message_id": 5})()


async def test_group_topic_reaches_send_message() -> None:
    bot = RefusingBot()
    assert await TelegramSender(bot).send(-100, "alert", thread_id=7) == 5  # type: ignore[arg-type]
    assert bot.calls[0]["message_thread_id"] == 7 and bot.calls[0]["chat_id"] == -100


@pytest.mark.parametrize("description", ["Bad Request: message thread not found", "Bad Request: TOPIC_CLOSED"])
async def test_group_topic_gone_is_told_apart(description: str) -> None:
    sender = TelegramSender(RefusingBot(BadRequest(description)))  # type: ignore[arg-type]
    with pytest.raises(TopicGone):
        await sender.send(-100, "alert", thread_id=7)
    with pytest.raises(PermanentSendError):  # without a topic the same words mean something else went wrong
        await sender.send(-100, "alert")
