"""Handlers driven in milliseconds: PTB's own `Update.de_json` objects, a bot that records what it would
send, and fake services that record what they were asked (no network, no database, no subprocess).

These check the seam the end-to-end tests cannot isolate: a refusal raised as a `UserError` (a message key
and its arguments) deep in the core reaches the user translated, in their own language, never as English.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from telegram import Bot, Update

from bot.core.interface.bidi import FSI, LRI, PDI, RLM
from bot.core.matching.keywords import MAX_TERM_LENGTH, parse_add
from bot.errors import UserError
from bot.handlers.commands import SubscriberCommands
from bot.handlers.interface import Interface
from bot.i18n import Catalogues
from bot.services.subscriptions import AddResult

MARKS = {ord(mark): None for mark in (RLM, LRI, FSI, PDI)}
_ids = itertools.count(1)


class RecordingBot(Bot):
    """A Bot that sends nothing: every send_message is recorded as (chat id, text)."""

    def __init__(self) -> None:
        super().__init__("1:x")
        self._sent: list[tuple[int | str, str]] = []  # PTB objects are frozen except for _attributes

    @property
    def sent(self) -> list[tuple[int | str, str]]:
        return self._sent

    async def send_message(self, chat_id: int | str, text: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self._sent.append((chat_id, text))
        return None


class FakeSubscriptions:
    """What SubscriberCommands needs from SubscriptionService; `add` parses with the real core parser and
    records each chat's request."""

    def __init__(self) -> None:
        self.added: list[tuple[int, str]] = []

    async def interface_language(self, chat_id: int) -> str | None:
        return None

    async def add(self, chat_id: int, raw_term: str) -> AddResult:
        self.added.append((chat_id, raw_term))
        request = parse_add(raw_term)  # raises UserError for malformed requests
        raise UserError("you already follow “{term}”", term=request.term)


def command(text: str, chat_id: int = 5, language_code: str = "en", bot: Bot | None = None) -> Update:
    """A private-chat command as Telegram sends it, made into PTB's objects."""
    data = {"update_id": next(_ids), "message": {
        "message_id": next(_ids), "date": 1_740_830_400, "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "U"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": language_code},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}
    return Update.de_json(data, bot)


class Context:
    """The part of CallbackContext the handlers read."""

    def __init__(self, text: str) -> None:
        self.args = text.split()[1:]


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues.load()


async def ask(catalogues: Catalogues, text: str, language_code: str) -> tuple[FakeSubscriptions, str]:
    bot, subscriptions = RecordingBot(), FakeSubscriptions()
    handlers = SubscriberCommands(subscriptions, Interface(catalogues, subscriptions))  # type: ignore[arg-type]
    await handlers.add(command(text, language_code=language_code, bot=bot), Context(text))  # type: ignore[arg-type]
    assert len(bot.sent) == 1, bot.sent
    return subscriptions, bot.sent[0][1].translate(MARKS)


async def test_a_core_refusal_reaches_an_arabic_user_in_arabic(catalogues: Catalogues) -> None:
    term = "x" * (MAX_TERM_LENGTH + 1)
    subscriptions, text = await ask(catalogues, f"/add {term}", "ar")
    assert subscriptions.added == [(5, term)]
    arabic = catalogues.texts("ar")
    expected = arabic.gettext("a keyword is at most {count} characters", count=MAX_TERM_LENGTH).translate(MARKS)
    assert expected in text and str(MAX_TERM_LENGTH) in text
    assert "characters" not in text, f"no English in an Arabic reply: {text!r}"


async def test_the_same_refusal_in_russian_and_english(catalogues: Catalogues) -> None:
    _, russian = await ask(catalogues, "/add a | maybe: b", "ru")
    assert "near:" in russian and "after '|'" not in russian, russian
    _, english = await ask(catalogues, "/add a | maybe: b", "en")
    assert english == ("Not added: after '|' write 'near: words that must also appear' or 'not: words that "
                       "exclude it'.")


async def test_a_service_refusal_with_arguments_is_filled_in(catalogues: Catalogues) -> None:
    _, text = await ask(catalogues, "/add Saraqib", "tr")
    assert "Saraqib" in text and "already follow" not in text, text
