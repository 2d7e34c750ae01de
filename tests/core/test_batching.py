"""Grouping a chat's backlog into as few messages as fit under Telegram's limit, in order."""

from __future__ import annotations

from bot.core.delivery.batching import SEPARATOR, batches_for_chat
from bot.core.models import OutboxMessage


def rows(*texts: str, chat_id: int = 1, attempts: int = 0) -> list[OutboxMessage]:
    return [OutboxMessage(id=n, chat_id=chat_id, entry_id=n, text=t, attempts=attempts) for n, t in enumerate(texts, 1)]


def test_one_alert_is_sent_as_it_is() -> None:
    [batch] = batches_for_chat(rows("<b>hello</b>"))
    assert (batch.text, batch.outbox_ids) == ("<b>hello</b>", (1,))


def test_alerts_that_fit_are_joined_in_order() -> None:
    [batch] = batches_for_chat(rows("a", "b", "c"))
    assert batch.text == SEPARATOR.join("abc")
    assert batch.outbox_ids == (1, 2, 3)


def test_limit_starts_a_new_message_and_nothing_is_cut() -> None:
    texts = ["x" * 2000, "y" * 2000, "z" * 2000, "w" * 10]
    batches = batches_for_chat(rows(*texts))

    assert [b.outbox_ids for b in batches] == [(1, 2), (3, 4)]
    assert all(len(b.text) <= 4096 for b in batches)
    assert SEPARATOR.join(b.text for b in batches) == SEPARATOR.join(texts)


def test_exact_fit_stays_in_one_message() -> None:
    first = "a" * (4096 - len(SEPARATOR) - 10)
    [batch] = batches_for_chat(rows(first, "b" * 10))
    assert len(batch.text) == 4096


def test_a_batch_carries_the_most_attempts_of_its_rows() -> None:
    [batch] = batches_for_chat([*rows("x", chat_id=5), OutboxMessage(9, 5, 9, "z", 3)])

    assert batch.text == SEPARATOR.join("xz") and batch.attempts == 3 and batch.chat_id == 5
