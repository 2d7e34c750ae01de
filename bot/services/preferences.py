"""Delivery preferences: time zone, quiet hours and what they do, digest mode, urgent keywords, mutes.

The use cases behind /settings rows, /quiet, /digest, /timezone, /urgent, /unmute and the mute buttons
under alerts. Errors are `UserError`s (a message id and its parameters) like the other commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.delivery.quiet import DigestMode, QuietMode, parse_quiet_hours
from bot.core.interface.alert_buttons import MUTE_HOURS
from bot.core.interface.i18n import N_
from bot.core.matching.keywords import clean_term, user_concept_key
from bot.core.models import AlertDetails, Concept, Subscriber
from bot.errors import UserError
from bot.services.ports import PreferenceRecords

QUIET_CHOICES: dict[str, tuple[int, int] | None] = {
    "off": None, "q22-07": (22 * 60, 7 * 60), "q23-07": (23 * 60, 7 * 60), "q00-08": (0, 8 * 60),
    "q21-06": (21 * 60, 6 * 60),
}
"""The quiet hours offered as buttons (any other window with /quiet)."""
ZONE_CHOICES: dict[str, str] = {
    "damascus": "Asia/Damascus", "istanbul": "Europe/Istanbul", "moscow": "Europe/Moscow", "amman": "Asia/Amman",
    "beirut": "Asia/Beirut", "berlin": "Europe/Berlin", "london": "Europe/London", "utc": "UTC",
}
"""The time zones offered as buttons (any IANA zone with /timezone)."""


def zone_name(text: str) -> str:
    """The canonical IANA name for what a user typed ("europe/istanbul", "Asia/Damascus"), or an error."""
    wanted = text.strip().replace(" ", "_")
    if wanted.casefold() in ("utc", "gmt"):
        return "UTC"
    match = next((name for name in sorted(available_timezones()) if name.casefold() == wanted.casefold()), None)
    try:
        if match is None:
            raise ZoneInfoNotFoundError(wanted)
        ZoneInfo(match)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(N_("unknown time zone “{zone}”; write it like Asia/Damascus or Europe/Istanbul"),
                                zone=wanted[:60]) from None
    return match


class PreferenceService:
    """Changes a subscriber's delivery preferences."""

    def __init__(self, store: PreferenceRecords, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def set_quiet_choice(self, chat_id: int, choice: str) -> None:
        """Quiet hours from a menu button."""
        if choice not in QUIET_CHOICES:
            raise UserError(N_("that choice is not offered any more"))
        window = QUIET_CHOICES[choice]
        await self._set(chat_id, quiet_start=window[0] if window else None, quiet_end=window[1] if window else None)

    async def set_quiet(self, chat_id: int, words: Sequence[str]) -> str | None:
        """/quiet's words: the hours ("23-7", "off"), then optionally what they do ("silent", "hold").
        Nothing is stored unless every word is valid ("/quiet 23-7 loud" changes nothing)."""
        mode = words[1].lower() if len(words) > 1 else None
        if not words or len(words) > 2 or (mode is not None and mode not in {m.value for m in QuietMode}):
            raise UserError(N_("write quiet hours as start-end in your time zone, e.g. /quiet 23-7, "
                               "or /quiet off"))
        label = await self.set_quiet_text(chat_id, words[0])
        if mode is not None:
            await self.set_quiet_mode(chat_id, mode)
        return label

    async def set_quiet_text(self, chat_id: int, text: str) -> str | None:
        """Quiet hours typed as "23-7" or "off"; returns the window's label, None when switched off."""
        try:
            window = parse_quiet_hours(text)
        except ValueError:
            raise UserError(N_("write quiet hours as start-end in your time zone, e.g. /quiet 23-7, "
                                       "or /quiet off")) from None
        await self._set(chat_id, quiet_start=window.start if window else None, quiet_end=window.end if window else None)
        return window.label() if window else None

    async def set_quiet_mode(self, chat_id: int, mode: str) -> None:
        """What quiet hours do: send silently, or hold for a digest."""
        if mode not in {m.value for m in QuietMode}:
            raise UserError(N_("that choice is not offered any more"))
        await self._set(chat_id, quiet_mode=mode)

    async def set_digest(self, chat_id: int, mode: str) -> None:
        """Digest mode: off, hourly or daily."""
        if mode not in {m.value for m in DigestMode}:
            raise UserError(N_("write /digest off, /digest hourly or /digest daily"))
        await self._set(chat_id, digest_mode=mode)

    async def set_corroborated_only(self, chat_id: int, wait: bool) -> None:
        """Whether to alert only once a second independent source reports a story (urgent keywords excepted)."""
        await self._set(chat_id, corroborated_only=wait)

    async def set_time_zone(self, chat_id: int, text: str) -> str:
        """The subscriber's time zone, from a button key or an IANA name; returns the name stored."""
        name = ZONE_CHOICES.get(text) or zone_name(text)
        await self._set(chat_id, time_zone=None if name == "UTC" else name)
        return name

    async def toggle_urgent(self, chat_id: int, raw_term: str) -> tuple[Concept, bool]:
        """Flip a keyword between urgent and normal; returns it and whether it is now urgent."""
        subscriber = await self._active(chat_id)
        term = clean_term(raw_term)  # its UserError says what is wrong (empty, too long, no letter)
        concept = _find(await self.store.keywords(chat_id), term)
        if concept is None:
            raise UserError(N_("you do not follow “{term}”; /keywords lists what you follow"), term=term)
        urgent = concept.key not in await self.urgent_keys(subscriber.chat_id)
        await self.store.set_urgent(chat_id, concept.key, urgent)
        return concept, urgent

    async def urgent_keys(self, chat_id: int) -> set[str]:
        """Keys of the chat's urgent keywords."""
        found = await self.store.delivery_preferences([chat_id], self.clock())
        return set(found[chat_id].urgent) if chat_id in found else set()

    async def mute(self, chat_id: int, kind: str, value: str, hours: int = MUTE_HOURS) -> datetime:
        """Silence a keyword (by key) or a source (by feed id) for `hours`; returns until when."""
        await self._active(chat_id)
        now = self.clock()
        until = now + timedelta(hours=hours)
        await self.store.mute(chat_id, kind, value, until, now)
        return until

    async def alert(self, chat_id: int, outbox_id: int) -> AlertDetails:
        """The alert behind a button, if it was sent to this chat."""
        details = await self.store.alert_details(outbox_id)
        if details is None or details.chat_id != chat_id:
            raise UserError(N_("that choice is not offered any more"))
        return details

    async def mute_from_alert(self, chat_id: int, outbox_id: int, kind: str) -> tuple[AlertDetails, datetime]:
        """Mute the keyword or the source of an alert sent to this chat, for MUTE_HOURS."""
        details = await self.alert(chat_id, outbox_id)
        value = details.keyword if kind == "keyword" else str(details.feed_id)
        return details, await self.mute(chat_id, kind, value)

    async def unmute_all(self, chat_id: int) -> int:
        """Lift every mute."""
        await self._active(chat_id)
        return await self.store.unmute_all(chat_id)

    async def _set(self, chat_id: int, **values: object) -> None:
        await self._active(chat_id)
        await self.store.set_preferences(chat_id, self.clock(), **values)

    async def _active(self, chat_id: int) -> Subscriber:
        subscriber = await self.store.get_subscriber(chat_id)
        if subscriber is None or not subscriber.active:
            raise UserError(N_("you are not subscribed: send /start first"))
        return subscriber


def _find(concepts: Sequence[Concept], term: str) -> Concept | None:
    key = user_concept_key(term)
    folded = term.casefold()
    return next((c for c in concepts if c.key in (term, key) or c.label.casefold() == folded), None)
