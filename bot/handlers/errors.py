"""The application's error handler: whatever a handler, job or button raises ends here.

The user whose update failed is told, in their interface language, that it did not work and that
nothing was lost (a `UserError` that escaped says its own reason instead); one line goes to the log
(the kind of update, the command without its arguments, the exception described by
bot/core/interface/error_report.py: never SQL parameters, and the token is redacted by the log
filter); the admins get a notice at most once per kind of error per ten minutes. Nothing here may
raise: a failure to reply or to notify is logged at debug level and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.interface.error_report import NoticeThrottle, admin_notice, command_name, describe, where
from bot.core.interface.i18n import N_, Texts, interface_language
from bot.errors import UserError
from bot.handlers.interface import Interface, reason
from bot.services.ports import AdminAlerts

log = logging.getLogger(__name__)

DID_NOT_WORK = N_("Sorry, that did not work. Nothing was lost: please try again in a moment.")


def update_kind(update: object) -> str:
    """"message", "callback_query"... for an Update; "job" when there is none (a job or the scheduler)."""
    if not isinstance(update, Update):
        return "job" if update is None else type(update).__name__
    return next((key for key in update.to_dict() if key != "update_id"), "update")


class ErrorHandler:
    """Registered with `Application.add_error_handler`."""

    def __init__(self, interface: Interface, clock: Callable[[], datetime], *, admins: AdminAlerts | None = None,
                 throttle: NoticeThrottle | None = None) -> None:
        self.interface = interface
        self.clock = clock
        self.admins = admins
        self.throttle = throttle or NoticeThrottle()

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if error is None:
            return
        kind = update_kind(update)
        message = update.effective_message if isinstance(update, Update) else None
        place = where(kind, command_name(message.text if message else None))
        log.error("%s failed: %s", place, describe(error))
        log.debug("traceback of the failure in %s", place, exc_info=error)
        if isinstance(update, Update):
            await self._tell_user(update, error)
        await self._tell_admins(type(error).__name__, place)

    async def _tell_user(self, update: Update, error: BaseException) -> None:
        try:
            t = await self._texts(update)
            text = t.layout(reason(t, error) if isinstance(error, UserError) else t.gettext(DID_NOT_WORK))
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(text)
        except Exception as failure:  # the chat may be gone, or Telegram unreachable: the log line stands
            log.debug("could not tell the user about the failure: %s", describe(failure))

    async def _texts(self, update: Update) -> Texts:
        """The user's interface texts; from Telegram's language_code alone if the database is what failed."""
        try:
            return await self.interface.texts(update)
        except Exception:
            user = update.effective_user
            return self.interface.for_language(interface_language(None, user.language_code if user else None))

    async def _tell_admins(self, kind: str, place: str) -> None:
        if self.admins is None:
            return
        held_back = self.throttle.admit(kind, self.clock())
        if held_back is None:
            return
        try:
            await self.admins.notify_admins(admin_notice(kind, place, held_back))
        except Exception as failure:
            log.debug("could not notify the admins about the failure: %s", describe(failure))
