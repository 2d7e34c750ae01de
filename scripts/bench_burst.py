"""Rush benchmark: N users send /start at once, then alerts go to all of them, against a Bot API that
enforces Telegram's limits (tests/fakes/burst_scenario.py runs the real `python -m bot run`).

Prints how many chats got their reply and how long the last took, the 429s the fake Bot API answered
(each one waited out by the bot, none reaching a handler), tracebacks in the bot's log, then for
--alerts stories published one after the other: messages, seconds until the last copy, the floor
(messages / SEND_RATE_PER_SECOND), losses and duplicates.

    python scripts/bench_burst.py --chats 300 --alerts 5
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes.burst_scenario import BurstScenario


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with BurstScenario(Path(tmp), chats=args.chats, rate=args.rate) as scenario:
            rush = await scenario.rush()
            print(f"rush: {rush.answered} of {args.chats} chats answered, the last {rush.seconds:.1f} s after the "
                  f"rush (floor {args.chats / args.rate:.1f} s); 429s answered by the fake Bot API: {rush.refused}; "
                  f"tracebacks in the log: {scenario.tracebacks()}", flush=True)
            alerts = await scenario.alerts(args.alerts)
            expected = args.chats * args.alerts
            lost = expected - len(alerts.copies)
            repeated = sum(n - 1 for n in alerts.copies.values())
            print(f"alerts: {args.alerts} stories to {args.chats} chats: {alerts.messages} messages in "
                  f"{alerts.seconds:.1f} s (floor {alerts.messages / args.rate:.1f} s at {args.rate:g}/s); lost "
                  f"{lost}, repeated {repeated}; 429s {alerts.refused}; tracebacks {scenario.tracebacks()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--alerts", type=int, default=5)
    parser.add_argument("--rate", type=float, default=29.0, help="SEND_RATE_PER_SECOND")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
