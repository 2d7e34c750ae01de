"""Command line: `python -m bot run` (the default) starts the bot; `python -m bot eval FILE` scores matching;
`python -m bot eval-stories FILE` scores story clustering.

`python -m bot run --role updates` only receives Telegram updates; `--role worker` only scans and sends
(several may run on one PostgreSQL database); the default `--role all` does everything (bot/roles.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dotenv import load_dotenv

from bot.core.process_roles import ROLES
from bot.errors import BotError

if TYPE_CHECKING:
    from bot.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings and run; expected errors print one line and exit 2."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    run_command = commands.add_parser("run", help="run the bot (default)")
    run_command.add_argument("--role", choices=ROLES, default="all",
                             help="all (default): everything in one process; updates: receive Telegram updates "
                                  "and answer commands; worker: scan feeds and send alerts (several may run)")
    evaluate = commands.add_parser("eval", help="precision/recall of the built-in and user keywords on a labelled "
                                                "corpus")
    evaluate.add_argument("file", help="a JSONL corpus in the format of shared/corpus/dev.jsonl")
    evaluate.add_argument("--errors", action="store_true", help="list every wrong decision, by class")
    evaluate.add_argument("--keyword", action="append", default=[], metavar="TERM",
                          help="a user keyword to score, in /add syntax (repeatable; default: the corpus' custom "
                               "keywords); items are relevant to it when their 'custom' list names it")
    evaluate.add_argument("--cache", action="store_true",
                          help="also score user keywords with the translations cached in DATABASE_URL")
    stories = commands.add_parser("eval-stories", help="story clustering scored on a file of labelled reports")
    stories.add_argument("file", help="a JSONL file in the format of shared/corpus/stories-dev.jsonl")
    stories.add_argument("--translator", choices=("offline", "configured"), default="offline",
                         help="offline (default): no translation; configured: English pivots through the "
                              "translation cache (DATABASE_URL) and the TRANSLATOR setting")
    args = parser.parse_args(argv)
    load_dotenv(override=False)
    try:
        from bot.settings import Settings

        if args.command == "eval":
            from bot.evaluate import EvalConfig, run_evaluation

            settings = Settings.from_env(os.environ, require_token=False)
            config = EvalConfig(settings.keywords_file, settings.places_file, settings.topics_file,
                                tuple(args.keyword), args.errors, settings.database_url if args.cache else None)
            print(run_evaluation(args.file, config))
            return 0
        if args.command == "eval-stories":
            return _eval_stories(args.file, args.translator, Settings.from_env(os.environ, require_token=False))
        from bot.app import run
        from bot.logs import RedactToken, configure_logging
        from bot.roles import webhook_secret

        settings = Settings.from_env(os.environ)
        configure_logging(settings.log_level, settings.telegram_token)
        for handler in logging.getLogger().handlers:  # the webhook secret is as private as the token
            handler.addFilter(RedactToken(webhook_secret(settings)))
        run(settings, getattr(args, "role", "all"))
        return 0
    except BotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _eval_stories(path: str, mode: str, settings: Settings) -> int:
    import asyncio

    from bot.evaluate_stories import run_configured, run_offline

    print(asyncio.run(run_configured(path, settings)) if mode == "configured" else run_offline(path, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
