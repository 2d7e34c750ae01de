"""The roles a process of the bot runs in (`python -m bot run --role ...`), named in one place.

`all` does everything in one process; `updates` only receives Telegram updates and answers commands;
`worker` only scans feeds and sends alerts (several may run). Storage counts the workers that send
(for their share of the send rate), the runner decides what to start, the CLI offers the choices.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("all", "updates", "worker")
UPDATE_ROLES: frozenset[str] = frozenset({"all", "updates"})
"""Roles that receive Telegram updates (polling or webhook)."""
JOB_ROLES: frozenset[str] = frozenset({"all", "worker"})
"""Roles that scan feeds and send alerts, and so share the work and the send rate."""
