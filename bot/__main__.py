"""Command line of the bot; `python -m bot --help` lists every verb.

- `run` (the default): start the bot; `--role updates` only receives Telegram updates, `--role worker`
  only scans and sends (several may run on one PostgreSQL database), `--role all` does both (bot/roles.py).
- `eval FILE`: precision and recall of the built-in keywords on a labelled corpus.
- `eval-stories FILE`: story clustering scored on a file of labelled reports.
- `check`: validate settings and config files, reach the database, Telegram, every feed and every
  translator once, and print what works (bot/cli/check.py).
- `health`: exit 0 when this host's bot process is alive and its jobs finish, else 1 (bot/cli/health.py).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from dotenv import load_dotenv

from bot.core.process_roles import ROLES
from bot.errors import BotError
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="{run,eval,eval-stories,check,health}")
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
    stories.add_argument("--errors", action="store_true",
                         help="first list every wrong decision: events split in several stories, stories of several "
                              "events")
    check = commands.add_parser("check", help="validate the configuration and probe Telegram, feeds, translators")
    check.add_argument("--offline", action="store_true",
                       help="only settings, config files and the database (no token needed)")
    health = commands.add_parser("health", help="exit 0 when this host's bot process is healthy, 1 otherwise")
    health.add_argument("--host", help="judge the process of this host name (default: this machine's)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings and run; expected errors print one line and exit 2."""
    args = _parser().parse_args(argv)
    load_dotenv(override=False)
    try:
        if args.command == "eval":
            from bot.evaluate import EvalConfig, run_evaluation

            settings = Settings.from_env(os.environ, require_token=False)
            config = EvalConfig(settings.keywords_file, settings.places_file, settings.topics_file,
                                tuple(args.keyword), args.errors, settings.database_url if args.cache else None)
            print(run_evaluation(args.file, config))
            return 0
        if args.command == "eval-stories":
            return _eval_stories(args.file, args.translator, Settings.from_env(os.environ, require_token=False),
                                 args.errors)
        if args.command == "check":
            from bot.cli.check import run_check

            settings = Settings.from_env(os.environ, require_token=not args.offline)
            return asyncio.run(run_check(settings, sys.stdout, offline=args.offline))
        if args.command == "health":
            from bot.cli.health import run_health

            settings = Settings.from_env(os.environ, require_token=False)
            return asyncio.run(run_health(settings, sys.stdout, lambda: datetime.now(UTC), host=args.host))
        return _run(Settings.from_env(os.environ), getattr(args, "role", "all"))
    except BotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _is_telegram_error(error: Exception) -> bool:
    from telegram.error import TelegramError

    return isinstance(error, TelegramError)


def startup_failure(error: Exception, token: str) -> str:
    """One line naming why the bot could not start or stopped, never quoting the token.

    PTB's own messages (``InvalidToken``: "The token `…` was rejected by the server.") carry the token,
    so a rejected token is described here instead, and any other message has the token blanked out.
    """
    from telegram.error import InvalidToken, NetworkError, TelegramError

    if isinstance(error, InvalidToken):
        return ("Telegram rejected the bot token (HTTP 401/404): check TELEGRAM_BOT_TOKEN, and that "
                "TELEGRAM_API_URL is the root of a Bot API server")
    if isinstance(error, NetworkError):
        reason = "cannot reach the Telegram Bot API (check TELEGRAM_API_URL and the network)"
    elif isinstance(error, TelegramError):
        reason = "the Telegram Bot API refused to start the bot"
    else:
        reason = "the bot stopped on an unexpected error"
    detail = " ".join(f"{type(error).__name__}: {error}".split())
    return f"{reason}: {detail.replace(token, '<token>') if token else detail}"[:500]


def _eval_stories(path: str, mode: str, settings: Settings, errors: bool = False) -> int:
    from bot.evaluate_stories import run_configured, run_offline

    print(asyncio.run(run_configured(path, settings, errors)) if mode == "configured"
          else run_offline(path, settings, errors))
    return 0


def _run(settings: Settings, role: str) -> int:
    """Start the bot; a start-up failure (a token Telegram rejects, no network, a bug) prints one line, exit 1."""
    from bot.app import run
    from bot.logs import RedactToken, configure_logging
    from bot.roles import webhook_secret

    configure_logging(settings.log_level, settings.telegram_token, settings.log_format)
    for handler in logging.getLogger().handlers:  # the webhook secret is as private as the token
        handler.addFilter(RedactToken(webhook_secret(settings)))
    try:
        run(settings, role)
    except BotError:
        raise  # a bad setting or config file found while starting: its one line is printed by main
    except Exception as error:
        if not _is_telegram_error(error):  # a bug: its traceback goes through the redacting log handler
            logging.getLogger("bot").exception("the bot stopped")
        print(f"error: {startup_failure(error, settings.telegram_token)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
