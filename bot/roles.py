"""How a process runs, by role: the all-in-one bot, the updates receiver, or a worker.

- `all` (the default): receives updates and runs the scan and send jobs, in one process.
- `updates`: receives Telegram updates and answers commands; no scan or send jobs (exactly one, or
  several behind a load balancer in webhook mode).
- `worker`: scan and send jobs only, no getUpdates and no webhook; any number may run against one
  PostgreSQL database, which coordinates them (bot/adapters/storage/worker_store.py, leases in the outbox).

Updates come by long polling, or, when WEBHOOK_URL is set, by PTB's webhook server listening on
WEBHOOK_LISTEN:PORT, which registers WEBHOOK_URL with Telegram together with a secret token and refuses
(403) every request that does not carry it. The token is WEBHOOK_SECRET, or else derived from the bot
token by a hash, so every updates process of one bot agrees on it without configuration.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application

from bot.core.process_roles import JOB_ROLES, ROLES, UPDATE_ROLES
from bot.settings import Settings

__all__ = ["ROLES", "serve", "webhook_secret"]

log = logging.getLogger(__name__)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or 64 hex digits derived from the bot token (allowed by Telegram: A-Z a-z 0-9 _ -)."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(b"idlib-m4-bot webhook secret\0" + settings.telegram_token.encode()).hexdigest()


def receives_updates(role: str) -> bool:
    return role in UPDATE_ROLES


def runs_jobs(role: str) -> bool:
    return role in JOB_ROLES


def serve(application: Application, settings: Settings, role: str) -> None:  # type: ignore[type-arg]
    """Run `application` in `role` until SIGINT or SIGTERM."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if not receives_updates(role):
        asyncio.run(_run_without_updates(application))
    elif settings.webhook_url:
        log.info("receiving updates by webhook on %s:%d", settings.webhook_listen, settings.port)
        application.run_webhook(
            listen=settings.webhook_listen, port=settings.port, url_path=urlparse(settings.webhook_url).path,
            webhook_url=settings.webhook_url, secret_token=webhook_secret(settings),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


async def _run_without_updates(app: Application) -> None:  # type: ignore[type-arg]
    """What run_polling does, minus the polling: initialize, post_init, start (the JobQueue ticks), wait
    for a stop signal, then stop and shut down with their hooks."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        await stop.wait()
        log.info("stop signal received: finishing the jobs in flight")
    finally:
        if app.running:
            await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
