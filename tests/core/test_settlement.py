"""What becomes of a message's outbox rows after Telegram answered (bot.core.delivery.settlement), decided
without I/O: every answer gets an outcome, and nothing is dropped without a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.delivery.settlement import Outcome, SendAttempt, settle
from bot.core.feeds.schedule import retry_delay
from bot.errors import (
    ChatMoved,
    ChatUnavailable,
    FloodWait,
    MarkupRejected,
    PermanentSendError,
    TemporarySendError,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ROWS = (11, 12)


def settled(error: BaseException | None, attempts: int = 0, message_id: int | None = None):  # type: ignore[no-untyped-def]
    return settle(SendAttempt(5, message_id, error), ROWS, attempts, NOW, max_attempts=4, max_flood_wait=30.0)


def test_a_sent_message_keeps_its_telegram_id() -> None:
    result = settled(None, message_id=99)
    assert (result.outcome, result.message_id, result.outbox_ids, result.now) == (Outcome.SENT, 99, ROWS, NOW)
    assert result.error is None and not result.deactivate


def test_a_short_flood_wait_pauses_and_a_long_one_halts_the_drain() -> None:
    short = settled(FloodWait(3))
    assert short.outcome is Outcome.FLOOD and short.flood_wait == 3 and short.halt_until is None
    long = settled(FloodWait(120))
    assert long.halt_until == NOW + timedelta(seconds=120)


def test_a_chat_that_is_gone_is_unsubscribed_with_the_reason() -> None:
    result = settled(ChatUnavailable("Forbidden: bot was blocked by the user"))
    assert result.outcome is Outcome.CHAT_GONE and result.deactivate and result.chat_id == 5
    assert result.error == "chat unavailable: Forbidden: bot was blocked by the user"


@pytest.mark.parametrize("error", [PermanentSendError("Bad Request: message is too long"),
                                   MarkupRejected("can't parse entities"), ChatMoved(777)])
def test_refusals_fail_at_once_with_their_reason(error: Exception) -> None:
    result = settled(error)
    assert result.outcome is Outcome.FAILED and result.error == str(error) and not result.deactivate


def test_temporary_errors_retry_with_backoff_until_the_last_attempt() -> None:
    first = settled(TemporarySendError("timed out"))
    assert first.outcome is Outcome.RETRY_LATER and first.retry_at == NOW + retry_delay(1)
    assert first.error == "timed out"
    last = settled(TemporarySendError("timed out"), attempts=3)
    assert last.outcome is Outcome.FAILED and last.error == "gave up after 4 attempts: timed out"


def test_an_unexpected_error_is_retried_and_named() -> None:
    result = settled(KeyError("chat"))
    assert result.outcome is Outcome.RETRY_LATER and result.error == "internal error: KeyError: 'chat'"
