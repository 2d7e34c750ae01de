"""The two JobQueue jobs: the scan tick and the sender tick. Each only claims what storage says is due."""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.services.delivery import DeliveryService
from bot.services.scan import ScanService

log = logging.getLogger(__name__)


class Jobs:
    """Callbacks for JobQueue.run_repeating."""

    def __init__(self, scan: ScanService, delivery: DeliveryService) -> None:
        self.scan = scan
        self.delivery = delivery

    async def scan_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Check the feeds that are due."""
        try:
            report = await self.scan.run_cycle()
        except Exception:
            log.exception("scan cycle failed; it will run again at the next tick")
            return
        if report.alerts:
            await self.send_tick(context)

    async def send_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send what the outbox holds, drain after drain, until nothing is due or Telegram says wait long."""
        try:
            while True:
                report = await self.delivery.drain()
                if report.claimed == 0 or report.halted:
                    return
        except Exception:
            log.exception("sending failed; the outbox keeps the messages for the next tick")
