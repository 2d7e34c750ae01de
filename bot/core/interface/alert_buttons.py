"""The buttons under an alert: open the link, mute its keyword or source for a day, original or translation.

Pure: returns `Button` descriptions (caption plus a URL or callback data); the Telegram sender turns
them into an inline keyboard. Captions are in the subscriber's interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.interface import callbacks
from bot.core.interface.formatting import shorten
from bot.core.interface.i18n import Texts

MUTE_HOURS = 24


@dataclass(frozen=True)
class Button:
    """One inline button: opens `url`, or sends `data` back to the bot."""

    caption: str
    url: str | None = None
    data: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


def alert_keyboard(outbox_id: int, *, link: str | None, source: str, translated: bool, t: Texts,
                   showing_original: bool = False) -> Keyboard:
    """The buttons for one alert; `showing_original` flips the original/translation button."""
    rows: list[tuple[Button, ...]] = []
    first: list[Button] = []
    if link and link.startswith(("http://", "https://")):
        first.append(Button(t.gettext("🔗 Open"), url=link))
    if translated and showing_original:
        first.append(Button(t.gettext("🌐 Translation"), data=callbacks.make(callbacks.SHOW_TRANSLATION, outbox_id)))
    elif translated:
        first.append(Button(t.gettext("📄 Original"), data=callbacks.make(callbacks.SHOW_ORIGINAL, outbox_id)))
    if first:
        rows.append(tuple(first))
    rows.append((
        Button(t.gettext("🔕 Keyword {hours} h", hours=MUTE_HOURS),
               data=callbacks.make(callbacks.MUTE_KEYWORD, outbox_id)),
        Button(t.gettext("🔕 {source} {hours} h", source=shorten(source, 24), hours=MUTE_HOURS),
               data=callbacks.make(callbacks.MUTE_SOURCE, outbox_id)),
    ))
    return tuple(rows)


def shared_chat_keyboard(keyboard: Keyboard) -> Keyboard:
    """The buttons of an alert to a group or channel: links only (the others change the chat's settings, which
    any member or reader could otherwise press)."""
    rows = (tuple(button for button in row if button.url) for row in keyboard)
    return tuple(row for row in rows if row)
