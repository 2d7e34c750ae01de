"""What is said about an unexpected error: one log line, and a notice to the admins now and then.

Pure: the handler (bot/handlers/errors.py) passes the error, the update's kind and the time. A log line
names the kind of update, the command (never its arguments) and the exception; a database error is
described by its class and the kind of statement only (SELECT, INSERT...), because its message may
quote the values it was given (chat ids, keywords). Admins get at most one notice per kind of error
per `quiet` period (ten minutes), saying how many were held back since the last one, with nothing a
user typed beyond the command name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_DETAIL = 200
"""Longest part of an exception's message kept in a log line."""
_ABSENT = object()
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)")


def command_name(text: str | None) -> str | None:
    """The command a message starts with ("/add@bot idlib" -> "add"), without its arguments."""
    match = _COMMAND.match(text or "")
    return match.group(1).lower() if match else None


def statement_kind(statement: object) -> str:
    """The first word of an SQL statement ("UPDATE"), or "SQL" when there is none."""
    words = str(statement or "").split(None, 1)
    return words[0].upper() if words and words[0].isalpha() else "SQL"


def describe(error: BaseException) -> str:
    """The exception for a log line: its class, and either the kind of statement that failed (database
    errors, whose messages may quote parameters) or the first line of its message, shortened."""
    name = type(error).__name__
    statement, orig = getattr(error, "statement", _ABSENT), getattr(error, "orig", _ABSENT)
    if statement is not _ABSENT and orig is not _ABSENT:  # SQLAlchemy's StatementError and its kin
        cause = f" ({type(orig).__name__})" if orig is not None else ""
        return f"{name}{cause} in a {statement_kind(statement)} statement"
    detail = (str(error).strip().splitlines() or [""])[0][:MAX_DETAIL]
    return f"{name}: {detail}" if detail else name


def where(update_kind: str, command: str | None) -> str:
    """"/add (message)", "callback_query", "job"...: where the error happened, without user content."""
    return f"/{command} ({update_kind})" if command else update_kind


@dataclass
class NoticeThrottle:
    """At most one admin notice per kind of error per `quiet` period; counts what it held back."""

    quiet: timedelta = timedelta(minutes=10)
    _last: dict[str, datetime] = field(default_factory=dict)
    _held: dict[str, int] = field(default_factory=dict)

    def admit(self, kind: str, now: datetime) -> int | None:
        """None to hold this notice back; else how many of its kind were held back since the last one."""
        last = self._last.get(kind)
        if last is not None and now - last < self.quiet:
            self._held[kind] = self._held.get(kind, 0) + 1
            return None
        self._last[kind] = now
        return self._held.pop(kind, 0)


def admin_notice(kind: str, place: str, held_back: int) -> str:
    """The plain-text notice admins get (English, like the other operator notices)."""
    more = f" ({held_back} more since the last notice)" if held_back else ""
    return f"⚠️ Unexpected error {kind} while handling {place}{more}. Details are in the bot's log."
