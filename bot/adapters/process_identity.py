"""This process's identity among the processes sharing the database, and whether a pid still runs here.

The identity's format and what it means for recovery are in bot/core/delivery/recovery.py; this module
asks the operating system: the host name, this process's id, and (with signal 0, which checks for a
process without touching it) whether another process id is running on this host.
"""

from __future__ import annotations

import os
import secrets
import socket

from bot.core.delivery.recovery import ProcessIdentity, claimant_id

HOST_LENGTH = 60
"""Longest host name kept in an identity (the column holds 100 characters)."""


def this_process() -> ProcessIdentity:
    """This machine's host name (as identities keep it) and this process's id."""
    return ProcessIdentity(socket.gethostname()[:HOST_LENGTH], os.getpid())


def new_claimant_id() -> str:
    """A worker identity unique across hosts and restarts: host name, process id and a random suffix."""
    me = this_process()
    return claimant_id(me.host, me.pid, secrets.token_hex(4))


def pid_is_running(pid: int) -> bool:
    """Whether a process with `pid` exists on this host (one we may not signal counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
