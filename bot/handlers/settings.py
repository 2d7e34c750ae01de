"""/settings and /language: one menu of buttons for the subscriber's settings (languages, quiet hours,
digest mode, time zone, whether to wait for a second source).

The menu is data: each `Section` is one row of the main page (its caption and current value) and one
page of choices. Adding a setting (quiet hours, digest mode...) means adding a Section with its
choices, how to show a value and how to apply one; callback data stays "v1:menu:<section>" and
"v1:set:<section>:<value>" (see bot/core/interface/callbacks.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.delivery.quiet import QuietHours
from bot.core.interface import callbacks
from bot.core.interface.i18n import AUTONYMS, INTERFACE_LANGUAGES, N_, Texts
from bot.core.models import LANGUAGES, Subscriber
from bot.handlers.interface import NOT_SUBSCRIBED, Context, Interface, argument, edit, reply
from bot.services.preferences import QUIET_CHOICES, ZONE_CHOICES, PreferenceService
from bot.services.subscriptions import SubscriptionService

MAIN = "main"
CHOICES_PER_ROW = 2


@dataclass(frozen=True)
class Services:
    """What the menu's choices change."""

    subscriptions: SubscriptionService
    preferences: PreferenceService


@dataclass(frozen=True)
class Section:
    """One setting: a row on the main page and a page of choices."""

    key: str
    caption: str
    choices: tuple[str, ...]
    current: Callable[[Subscriber, Texts], str]
    show: Callable[[str, Texts], str]
    apply: Callable[[Services, int, str], Awaitable[object]]


def _autonym(code: str, t: Texts) -> str:
    return AUTONYMS.get(code, code)


MODE_NAMES = {"off": N_("off"), "silent": N_("send silently"), "hold": N_("hold, then one digest"),
              "hourly": N_("hourly digest"), "daily": N_("daily digest at 08:00")}


STORY_NAMES = {"first": N_("at the first report"), "confirmed": N_("once two sources report it")}


def _story_choice(subscriber: Subscriber, t: Texts) -> str:
    return "confirmed" if subscriber.corroborated_only else "first"


def _mode(value: str, t: Texts) -> str:
    return t.gettext(MODE_NAMES[value]) if value in MODE_NAMES else value


def _quiet(subscriber: Subscriber, t: Texts) -> str:
    window = (subscriber.quiet_start, subscriber.quiet_end)
    if None in window:
        return "off"
    key = next((k for k, v in QUIET_CHOICES.items() if v == window), None)
    return key or QuietHours(*window).label()  # type: ignore[arg-type]


def _quiet_label(value: str, t: Texts) -> str:
    window = QUIET_CHOICES.get(value, ())
    return t.ltr(QuietHours(*window).label()) if window else _mode(value, t)


def _zone(subscriber: Subscriber, t: Texts) -> str:
    name = subscriber.time_zone or "UTC"
    return next((key for key, zone in ZONE_CHOICES.items() if zone == name), name)


SECTIONS: tuple[Section, ...] = (
    Section("ui", N_("Interface language"), INTERFACE_LANGUAGES, lambda subscriber, t: t.lang, _autonym,
            lambda services, chat_id, value: services.subscriptions.set_interface_language(chat_id, value)),
    Section("tr", N_("Translate alerts into"), LANGUAGES, lambda subscriber, t: subscriber.language,
            lambda value, t: t.language(value),
            lambda services, chat_id, value: services.subscriptions.set_language(chat_id, value)),
    Section("qh", N_("Quiet hours"), tuple(QUIET_CHOICES), _quiet, _quiet_label,
            lambda services, chat_id, value: services.preferences.set_quiet_choice(chat_id, value)),
    Section("qm", N_("During quiet hours"), ("silent", "hold"), lambda subscriber, t: subscriber.quiet_mode, _mode,
            lambda services, chat_id, value: services.preferences.set_quiet_mode(chat_id, value)),
    Section("dg", N_("Digest"), ("off", "hourly", "daily"), lambda subscriber, t: subscriber.digest_mode, _mode,
            lambda services, chat_id, value: services.preferences.set_digest(chat_id, value)),
    Section("st", N_("Alert me about a story"), tuple(STORY_NAMES), _story_choice,
            lambda value, t: t.gettext(STORY_NAMES[value]) if value in STORY_NAMES else value,
            lambda services, chat_id, value: services.preferences.set_corroborated_only(chat_id, value == "confirmed")),
    Section("tz", N_("Time zone"), tuple(ZONE_CHOICES), _zone, lambda value, t: t.ltr(ZONE_CHOICES.get(value, value)),
            lambda services, chat_id, value: services.preferences.set_time_zone(chat_id, value)),
)
BY_KEY = {section.key: section for section in SECTIONS}


class SettingsMenu:
    """Shows the menu pages and applies choices."""

    def __init__(self, subscriptions: SubscriptionService, interface: Interface,
                 preferences: PreferenceService) -> None:
        self.subscriptions = subscriptions
        self.interface = interface
        self.services = Services(subscriptions, preferences)

    async def settings(self, update: Update, context: Context) -> None:
        """/settings: the main page."""
        t, subscriber = await self._begin(update)
        if subscriber is None:
            return
        text, keyboard = self.main_page(subscriber, t)
        await reply(update, t, text, keyboard=keyboard)

    async def language(self, update: Update, context: Context) -> None:
        """/language <code>: change the interface language; without a valid code, show the choices."""
        t, subscriber = await self._begin(update)
        if subscriber is None:
            return
        code = argument(context).lower()
        if code not in INTERFACE_LANGUAGES:
            text, keyboard = self.section_page(BY_KEY["ui"], subscriber, t)
            await reply(update, t, text, keyboard=keyboard)
            return
        await self.subscriptions.set_interface_language(subscriber.chat_id, code)
        t = self.interface.for_language(code)
        await reply(update, t, t.gettext("I will talk to you in {language}.", language=t.language(code)))

    def main_page(self, subscriber: Subscriber, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
        """The overview: every setting with its value, one button per setting."""
        lines = [t.gettext("Settings (tap one to change it):")]
        rows = []
        for section in SECTIONS:
            value = section.show(section.current(subscriber, t), t)
            line = t.gettext("{setting}: {value}", setting=t.gettext(section.caption), value=value)
            lines.append(line)
            rows.append([InlineKeyboardButton(line, callback_data=callbacks.make(callbacks.MENU, section.key))])
        return "\n".join(lines), InlineKeyboardMarkup(rows)

    def section_page(self, section: Section, subscriber: Subscriber, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
        """The choices of one setting, the current one ticked, and a way back."""
        current = section.current(subscriber, t)
        buttons = [
            InlineKeyboardButton(("✓ " if value == current else "") + section.show(value, t),
                                 callback_data=callbacks.make(callbacks.SET, section.key, value))
            for value in section.choices
        ]
        rows = [buttons[i : i + CHOICES_PER_ROW] for i in range(0, len(buttons), CHOICES_PER_ROW)]
        rows.append([InlineKeyboardButton(t.gettext("« Back"), callback_data=callbacks.make(callbacks.MENU, MAIN))])
        return t.gettext(section.caption), InlineKeyboardMarkup(rows)

    async def open_page(self, update: Update, t: Texts, page: str) -> str | None:
        """Show a page in place of the pressed message; a problem to tell the user, or None."""
        subscriber = await self._subscriber(update)
        if subscriber is None:
            return t.gettext(NOT_SUBSCRIBED)
        if page == MAIN:
            text, keyboard = self.main_page(subscriber, t)
        elif page in BY_KEY:
            text, keyboard = self.section_page(BY_KEY[page], subscriber, t)
        else:
            return t.gettext("This button is no longer valid. Send /settings again.")
        await edit(update, t, text, keyboard=keyboard)
        return None

    async def choose(self, update: Update, t: Texts, key: str, value: str) -> str:
        """Apply a choice and show the main page again (in the new language if that changed)."""
        section = BY_KEY.get(key)
        subscriber = await self._subscriber(update)
        if section is None or value not in section.choices:
            return t.gettext("This button is no longer valid. Send /settings again.")
        if subscriber is None:
            return t.gettext(NOT_SUBSCRIBED)
        await section.apply(self.services, subscriber.chat_id, value)
        t = await self.interface.texts(update)
        changed = await self._subscriber(update)
        if changed is not None:
            text, keyboard = self.main_page(changed, t)
            await edit(update, t, text, keyboard=keyboard)
        return t.gettext("Saved.")

    async def _begin(self, update: Update) -> tuple[Texts, Subscriber | None]:
        """The user's interface texts and subscription; None after telling them they are not subscribed."""
        t = await self.interface.texts(update)
        subscriber = await self._subscriber(update)
        if subscriber is None:
            await reply(update, t, t.gettext(NOT_SUBSCRIBED))
        return t, subscriber

    async def _subscriber(self, update: Update) -> Subscriber | None:
        if update.effective_chat is None:
            return None
        return await self.subscriptions.subscriber(update.effective_chat.id)
