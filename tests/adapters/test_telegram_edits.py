"""TelegramSender.edit: an edit Telegram refuses for the message itself is EditRefused (the caller replies
instead), but "message is not modified" means the message shows that text already, as after an edit
repeated following a crash, and counts as done: no threaded reply, no dropped translation."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest

from bot.adapters.telegram.telegram_sender import TelegramSender
from bot.errors import EditRefused, PermanentSendError


class EditingBot:
    """Records edit_message_text calls and answers them with `error`, or as Telegram does on success."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[dict[str, Any]] = []

    async def edit_message_text(self, text: str, **params: Any) -> Any:
        self.calls.append({"text": text, **params})
        if self.error is not None:
            raise self.error
        return True


async def test_an_edit_to_the_text_already_shown_counts_as_done() -> None:
    bot = EditingBot(BadRequest("Message is not modified: specified new message content and reply markup are "
                                "exactly the same as a current content and reply markup of the message"))
    await TelegramSender(bot).edit(1, 10, "alert")  # type: ignore[arg-type]
    assert [call["message_id"] for call in bot.calls] == [10]


@pytest.mark.parametrize("description", ["Message to edit not found", "Message can't be edited",
                                         "MESSAGE_ID_INVALID"])
async def test_a_message_that_cannot_be_edited_is_refused(description: str) -> None:
    with pytest.raises(EditRefused):
        await TelegramSender(EditingBot(BadRequest(description))).edit(1, 10, "alert")  # type: ignore[arg-type]


async def test_other_bad_requests_stay_permanent_errors() -> None:
    with pytest.raises(PermanentSendError) as raised:
        await TelegramSender(EditingBot(BadRequest("Message text is empty"))).edit(1, 10, "a")  # type: ignore[arg-type]
    assert not isinstance(raised.value, EditRefused)
