"""Notices to the bot's admins (ADMIN_IDS) through python-telegram-bot: the `AdminAlerts` port.

Best effort by design: each admin gets the plain-text message directly (not through the outbox), and
a failure to reach one admin is logged and swallowed, so a notice can never break a scan.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from telegram import Bot, LinkPreviewOptions

from bot.core.interface.formatting import TELEGRAM_LIMIT, shorten

log = logging.getLogger(__name__)


class TelegramAdminNotifier:
    """Sends a notice to every admin id, one after another."""

    def __init__(self, bot: Bot, admin_ids: Collection[int]) -> None:
        self.bot = bot
        self.admin_ids = sorted(set(admin_ids))

    async def notify_admins(self, text: str) -> None:
        """Send `text` (plain, no markup) to each admin; errors are logged, never raised."""
        body = text if len(text) <= TELEGRAM_LIMIT else shorten(text, TELEGRAM_LIMIT)
        for admin_id in self.admin_ids:
            try:
                await self.bot.send_message(chat_id=admin_id, text=body,
                                            link_preview_options=LinkPreviewOptions(is_disabled=True))
            except Exception as error:  # any failure, Telegram's or the network's, is only logged
                log.warning("could not notify admin %s: %s: %s", admin_id, type(error).__name__, error)
