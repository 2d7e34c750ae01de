"""Alert and reply text for Telegram HTML: every piece of feed text is escaped, and messages stay short."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.core.models import LANGUAGE_NAMES

TELEGRAM_LIMIT = 4096
MAX_TITLE = 400
MAX_SUMMARY = 900
MAX_QUOTE = 120


@dataclass(frozen=True)
class AlertContent:
    """What an alert says; `translated_*` are None when no translation was needed or it failed."""

    source: str
    lang: str
    title: str
    summary: str
    link: str | None
    keyword: str
    quotes: tuple[str, ...]
    target: str
    translated_title: str | None = None
    translated_summary: str | None = None
    translation_failed: bool = False


def shorten(text: str, limit: int) -> str:
    """Cut plain text at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def language_name(code: str) -> str:
    """English name of a language code, or the code itself."""
    return LANGUAGE_NAMES.get(code, code)


def needs_translation(entry_lang: str, target: str) -> bool:
    """Alerts carry a translation when the item's language differs from the subscriber's."""
    return bool(entry_lang) and entry_lang != target


def render_alert(alert: AlertContent) -> str:
    """The HTML text of one alert, under Telegram's 4096-character limit whatever the feed sent."""
    esc = html.escape
    quotes = ", ".join(f"«{esc(shorten(q, MAX_QUOTE))}»" for q in alert.quotes[:3])
    header = f"🔔 <b>{esc(shorten(alert.keyword, 80))}</b> · {esc(shorten(alert.source, 80))}"
    header += f" ({esc(language_name(alert.lang))})"
    lines = [header, ""]
    summary_room = MAX_SUMMARY
    if alert.translated_title is not None:
        lines.append(f"<b>{esc(shorten(alert.translated_title, MAX_TITLE))}</b>")
        if alert.translated_summary:
            lines.append(esc(shorten(alert.translated_summary, summary_room)))
        lines.append("")
        lines.append(f"<i>Original ({esc(language_name(alert.lang))}):</i> {esc(shorten(alert.title, MAX_TITLE))}")
    else:
        lines.append(f"<b>{esc(shorten(alert.title, MAX_TITLE))}</b>")
        if alert.summary:
            lines.append(esc(shorten(alert.summary, summary_room)))
        if alert.translation_failed:
            lines.append("")
            lines.append(f"<i>Translation to {esc(language_name(alert.target))} is unavailable right now.</i>")
    lines.append("")
    if quotes:
        lines.append(f"Matched: {quotes}")
    if alert.link:
        link = shorten(alert.link, 1000)
        lines.append(f'<a href="{esc(link, quote=True)}">{esc(link)}</a>')
    text = "\n".join(lines)
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"


_TAG = re.compile(r"<[^>]+>")


def html_to_plain(text: str) -> str:
    """The plain-text version of HTML this module produced (for resending after a markup error)."""
    return html.unescape(_TAG.sub("", text))
