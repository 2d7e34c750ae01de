"""Command line: `python -m bot run` (the default) starts the bot; `python -m bot eval FILE` scores matching.

`python -m bot run --role updates` only receives Telegram updates; `--role worker` only scans and sends
(several may run on one PostgreSQL database); the default `--role all` does everything (bot/roles.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from dotenv import load_dotenv

from bot.errors import BotError


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings and run; expected errors print one line and exit 2."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    run_command = commands.add_parser("run", help="run the bot (default)")
    run_command.add_argument("--role", choices=("all", "updates", "worker"), default="all",
                             help="all (default): everything in one process; updates: receive Telegram updates "
                                  "and answer commands; worker: scan feeds and send alerts (several may run)")
    evaluate = commands.add_parser("eval", help="precision/recall of the built-in keywords on a labelled corpus")
    evaluate.add_argument("file", help="a JSONL corpus in the format of shared/corpus/dev.jsonl")
    evaluate.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args(argv)
    load_dotenv(override=False)
    try:
        from bot.settings import Settings

        if args.command == "eval":
            from bot.evaluate import run_evaluation

            settings = Settings.from_env(os.environ, require_token=False)
            print(run_evaluation(args.file, settings.keywords_file, settings.places_file, show_errors=args.errors))
            return 0
        from bot.app import run
        from bot.logs import RedactToken, configure_logging
        from bot.roles import webhook_secret

        settings = Settings.from_env(os.environ)
        configure_logging(settings.log_level, settings.telegram_token)
        for handler in logging.getLogger().handlers:  # the webhook secret is as private as the token
            handler.addFilter(RedactToken(webhook_secret(settings)))
        try:
            run(settings, getattr(args, "role", "all"))
        except Exception as error:
            if not _is_telegram_error(error):  # a bug: its traceback goes through the redacting log handler
                logging.getLogger("bot").exception("the bot stopped")
            print(f"error: {startup_failure(error, settings.telegram_token)}", file=sys.stderr)
            return 1
        return 0
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


if __name__ == "__main__":
    sys.exit(main())
