"""The per-chat alert cap in storage, on SQLite and PostgreSQL (issue 12, item 7): rows over a chat's allowance
are written as summary rows due at the cycle's end, urgent keywords and stories the chat already has are
read in the same transaction, and a chat's due summary rows are claimed together, past the claim's limit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from storage_helpers import IDLIB, M4, entry, make_feed

from bot.adapters.storage import schema as db
from bot.adapters.storage.database import Storage
from bot.adapters.storage.outbox_store import MAX_SUMMARY_ROWS
from bot.core.delivery.alert_cap import AlertCap
from bot.core.models import Delivery

LATER = timedelta(minutes=2)


async def rows(storage: Storage) -> dict[str, dict[str, object]]:
    """Outbox rows by their entry's identity."""
    o, e = db.outbox, db.entries
    query = select(e.c.identity, o.c.summary, o.c.next_attempt_at, o.c.chat_id).join(e, e.c.id == o.c.entry_id)
    async with storage.engine.connect() as conn:
        return {f"{row.identity}@{row.chat_id}": dict(row._mapping) for row in await conn.execute(query)}


async def write(storage: Storage, feed_id: int, now: datetime, names: list[str], cap: AlertCap,
                keyword: dict[str, str] | None = None, chats: tuple[int, ...] = (1,)) -> None:
    entries = [entry(name, published_at=now - timedelta(minutes=n)) for n, name in enumerate(names)]
    await storage.store_fetch_result(
        feed_id, entries=entries, etag=None, last_modified=None, now=now, next_check_at=now + timedelta(hours=1),
        deliveries={name: [Delivery(chat, f"alert {name}", (keyword or {}).get(name, "idlib")) for chat in chats]
                    for name in names},
        cap=cap)


async def test_rows_over_the_cap_are_summary_rows_due_at_the_cycles_end(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.subscribe(1, "en", [IDLIB], now)
    cap = AlertCap(2, now + LATER)

    await write(storage, feed_id, now, ["a", "b", "c", "d"], cap)  # "a" is the newest

    found = await rows(storage)
    assert {name: found[f"{name}@1"]["summary"] for name in "abcd"} == {"a": False, "b": False, "c": True, "d": True}
    assert found["c@1"]["next_attempt_at"] == now + LATER and found["a@1"]["next_attempt_at"] == now
    assert cap.summarised == 2


async def test_urgent_keywords_are_read_in_the_transaction_and_go_first(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.subscribe(1, "en", [IDLIB, M4], now)
    await storage.subscribe(2, "en", [IDLIB, M4], now)
    assert await storage.set_urgent(1, "m4", True)

    await write(storage, feed_id, now, ["a", "b", "c"], AlertCap(1, now + LATER), keyword={"c": "m4"}, chats=(1, 2))

    found = await rows(storage)
    assert [name for name in "abc" if not found[f"{name}@1"]["summary"]] == ["c"]
    assert [name for name in "abc" if not found[f"{name}@2"]["summary"]] == ["a"]


async def test_a_second_feed_of_the_cycle_shares_the_allowance(storage: Storage, now: datetime) -> None:
    first, second = await make_feed(storage, now), await make_feed(storage, now, "Wire", "https://wire")
    await storage.subscribe(1, "en", [IDLIB], now)
    cap = AlertCap(3, now + LATER)

    await write(storage, first, now, ["a", "b"], cap)
    await write(storage, second, now, ["c", "d"], cap)

    found = await rows(storage)
    assert [name for name in "abcd" if found[f"{name}@1"]["summary"]] == ["d"]


async def test_a_chats_due_summary_rows_are_claimed_together_past_the_limit(storage: Storage, now: datetime) -> None:
    feed_id = await make_feed(storage, now)
    await storage.subscribe(1, "en", [IDLIB], now)
    names = [f"n{n:03d}" for n in range(40)]

    await write(storage, feed_id, now, names, AlertCap(5, now))

    claimed = await storage.claim_outbox(now, timedelta(minutes=1), limit=10)
    assert len(claimed) == 40, "the 10 oldest rows and every due summary row"
    assert sum(row.summary for row in claimed) == 35
    assert MAX_SUMMARY_ROWS >= 1_000
    assert await storage.claim_outbox(now, timedelta(minutes=1), limit=10) == []
