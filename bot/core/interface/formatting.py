"""Alert and reply text for Telegram HTML: every piece of feed text is escaped, and messages stay short."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.core.interface.i18n import N_, Texts

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


def needs_translation(entry_lang: str, target: str) -> bool:
    """Alerts carry a translation when the item's language differs from the subscriber's."""
    return bool(entry_lang) and entry_lang != target


Localizer = Callable[[str], Texts]
"""The interface texts of a language code (bot.i18n.Catalogues.texts)."""


def render_alert(alert: AlertContent, localize: Localizer | None = None) -> str:
    """The HTML text of one alert, under Telegram's 4096-character limit whatever the feed sent.

    Labels are in the subscriber's translation language (`alert.target`) when `localize` is given,
    else in English; Arabic alerts read right to left with the feed's text isolated.
    """
    t = localize(alert.target) if localize else Texts("en")
    esc = html.escape

    def text(value: str, limit: int) -> str:
        return t.isolate(esc(shorten(value, limit)))

    quotes = ", ".join(f"«{text(q, MAX_QUOTE)}»" for q in alert.quotes[:3])
    header = f"🔔 <b>{text(alert.keyword, 80)}</b> · {text(alert.source, 80)} ({esc(t.language(alert.lang))})"
    lines = [header, ""]
    if alert.translated_title is not None:
        lines.append(f"<b>{text(alert.translated_title, MAX_TITLE)}</b>")
        if alert.translated_summary:
            lines.append(text(alert.translated_summary, MAX_SUMMARY))
        lines.append("")
        label = t.markup(N_("Original ({language}):"), language=esc(t.language(alert.lang)))
        lines.append(f"<i>{label}</i> {text(alert.title, MAX_TITLE)}")
    else:
        lines.append(f"<b>{text(alert.title, MAX_TITLE)}</b>")
        if alert.summary:
            lines.append(text(alert.summary, MAX_SUMMARY))
        if alert.translation_failed:
            lines.append("")
            note = t.markup(N_("Translation to {language} is unavailable right now."),
                            language=esc(t.language(alert.target)))
            lines.append(f"<i>{note}</i>")
    lines.append("")
    if quotes:
        lines.append(t.markup(N_("Matched: {quotes}"), quotes=quotes))
    if alert.link:
        link = shorten(alert.link, 1000)
        lines.append(t.ltr(f'<a href="{esc(link, quote=True)}">{esc(link)}</a>'))
    return fit(t.layout("\n".join(lines)))


def fit_groups(sizes: Sequence[int], separator: int, limit: int = TELEGRAM_LIMIT) -> list[range]:
    """Consecutive runs of items (by index) whose sizes, joined by `separator` characters, stay within
    `limit`; an item that is too long on its own gets a run of its own."""
    groups: list[range] = []
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if index > start and total + separator + size > limit:
            groups.append(range(start, index))
            start, total = index, 0
        total += size + (separator if index > start else 0)
    if sizes:
        groups.append(range(start, len(sizes)))
    return groups


def pack_lines(lines: Iterable[str], limit: int = TELEGRAM_LIMIT, separator: str = "\n") -> list[str]:
    """Join lines into as few messages of at most `limit` characters as possible, never splitting a line
    (a line longer than `limit` is shortened)."""
    fitted = [line if len(line) <= limit else shorten(line, limit) for line in lines]
    groups = fit_groups([len(line) for line in fitted], len(separator), limit)
    return [separator.join(fitted[group.start : group.stop]) for group in groups]


_MARKUP_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?:\s[^<>]*)?>")
_CLOSING_RESERVE = 80
"""Room kept at the end of a cut message for the closing tags of the elements left open."""


def fit(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """Telegram HTML cut to `limit` characters, still valid: never inside a tag or an entity, with the
    elements left open closed again (a broken message would fall back to plain text and lose its links)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - _CLOSING_RESERVE]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    open_tags: list[str] = []
    for tag in _MARKUP_TAG.finditer(cut):
        name = tag.group(2).lower()
        if not tag.group(1):
            open_tags.append(name)
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
    closing = "".join(f"</{name}>" for name in reversed(open_tags))
    return (cut + "…" + closing)[:limit] if len(cut) + 1 + len(closing) > limit else cut + "…" + closing


_TAG = re.compile(r"<[^<>]+>")  # not "[^>]": that rescans from every "<" of "<<<<"


def html_to_plain(text: str) -> str:
    """The plain-text version of HTML this module produced (for resending after a markup error)."""
    return html.unescape(_TAG.sub("", text))
