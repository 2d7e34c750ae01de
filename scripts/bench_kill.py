"""Kill-and-restart benchmark: SIGKILL the real bot mid-fan-out, again and again, and count the damage.

Runs `python -m bot run` against the fake Bot API and a fake feed (tests/fakes/fanout_scenario.py);
for each of --kills stories it publishes an Idlib report, kills the bot once a random part of the
fan-out was accepted by the fake Bot API, restarts it and waits until every subscriber has the alert.
Prints, per kill and in total, losses (subscribers who never got it), duplicates, and the recovery time:
from the restarted bot's first poll to the last subscriber's copy. With a long --lease (the default
60 s, as in production) that time shows whether the restarted bot took its previous run's leases back
at once (issue 11.3) or waited them out.

    python scripts/bench_kill.py --kills 10 --subscribers 50 --concurrency 1 --lease 60
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes.fanout_scenario import FanoutScenario


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FanoutScenario(Path(tmp), subscribers=args.subscribers, concurrency=args.concurrency,
                                  rate=args.rate, seed=args.seed, lease_seconds=args.lease,
                                  quiet_after=args.quiet) as scenario:
            await scenario.subscribe_all()
            results = []
            for kill in range(1, args.kills + 1):
                result = await scenario.kill_during_fanout()
                results.append(result)
                print(f"kill {kill:2}: {result.accepted_before_kill:3} of {args.subscribers} accepted before the "
                      f"kill; losses {result.losses}, duplicates {result.duplicates}, last alert "
                      f"{result.recovery_seconds:.2f} s after the restarted bot's first poll", flush=True)
    print(f"{args.kills} kills, {args.subscribers} subscribers, SEND_CONCURRENCY={args.concurrency}: "
          f"losses {sum(r.losses for r in results)}, duplicates {sum(r.duplicates for r in results)} "
          f"(at most {args.concurrency} per kill allowed: the messages in flight); recovery worst "
          f"{max(r.recovery_seconds for r in results):.2f} s, mean "
          f"{sum(r.recovery_seconds for r in results) / len(results):.2f} s (SEND_LEASE_SECONDS={args.lease:g})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--subscribers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--rate", type=float, default=15.0, help="SEND_RATE_PER_SECOND, slow enough to kill mid-way")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lease", type=float, default=60.0, help="SEND_LEASE_SECONDS")
    parser.add_argument("--quiet", type=float, default=3.0, help="seconds to watch for late repeats after each kill")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
