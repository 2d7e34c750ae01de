"""How a story's alert grows: the first report's alert, then a block listing every source of the story.

The block says how many independent sources (sites, bot.core.stories.sources) reported the story, in
which languages and when ("3 sources · ar, tr, en · first 09:12, latest 11:40", times in the subscriber's
zone), whether it is corroborated ("single source" / "confirmed by 3 sources"), and one line per report
with its source, language and link. When the alert can no longer be edited, a short reply names the new
sources instead. Pure: texts, zone and reports are passed in; every text stays under Telegram's limit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.core.interface.formatting import TELEGRAM_LIMIT, shorten
from bot.core.interface.i18n import Texts

MAX_LISTED = 12
"""Reports listed one per line; the rest are counted."""
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class StoryReport:
    """One report of a story as an alert lists it."""

    entry_id: int
    source: str
    """The feed's name."""
    site: str
    """Its site: reports from one site are one source (bot.core.stories.sources.site_of)."""
    lang: str
    link: str | None
    published: datetime


def independent_sources(reports: Sequence[StoryReport]) -> int:
    """How many different sites reported."""
    return len({report.site for report in reports})


def corroboration(reports: Sequence[StoryReport], t: Texts) -> str:
    """ "single source" until a second site reported, then "confirmed by N sources"."""
    count = independent_sources(reports)
    if count < 2:
        return t.gettext("single source")
    return t.ngettext("confirmed by {count} source", "confirmed by {count} sources", count)


def _clock(moment: datetime, zone: tzinfo, with_date: bool) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%d.%m %H:%M") if with_date else local.strftime("%H:%M")


def status_line(reports: Sequence[StoryReport], t: Texts, zone: tzinfo) -> str:
    """ "3 sources · ar, tr, en · first 09:12, latest 11:40" (the date too when the days differ)."""
    count = independent_sources(reports)
    languages = ", ".join(dict.fromkeys(report.lang for report in reports))
    first = min(report.published for report in reports)
    latest = max(report.published for report in reports)
    other_day = first.astimezone(zone).date() != latest.astimezone(zone).date()
    sources = t.ngettext("{count} source", "{count} sources", count)
    span = t.gettext("first {first}, latest {latest}", first=_clock(first, zone, other_day),
                     latest=_clock(latest, zone, other_day))
    return " · ".join([sources, languages, span])


def _report_line(report: StoryReport, t: Texts) -> str:
    name = t.isolate(html.escape(shorten(report.source, 60)))
    line = f"• {name} ({html.escape(report.lang)})"
    if report.link:
        link = shorten(report.link, 300)
        line += " " + t.ltr(f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>')
    return line


def _listing(reports: Sequence[StoryReport], t: Texts) -> list[str]:
    ordered = sorted(reports, key=lambda report: (report.published, report.entry_id))
    lines = [_report_line(report, t) for report in ordered[:MAX_LISTED]]
    if len(ordered) > MAX_LISTED:
        more = len(ordered) - MAX_LISTED
        lines.append(html.escape(t.ngettext("and {count} more report", "and {count} more reports", more)))
    return lines


def sources_block(reports: Sequence[StoryReport], t: Texts, zone: tzinfo) -> str:
    """The block under the alert: status, corroboration and one line per report."""
    header = f"📰 <b>{html.escape(status_line(reports, t, zone))}</b>"
    lines = [header, f"<i>{html.escape(corroboration(reports, t))}</i>", *_listing(reports, t)]
    return t.layout("\n".join(lines))


def story_text(base: str, reports: Sequence[StoryReport], t: Texts, zone: tzinfo) -> str:
    """The alert `base` (one report's alert, already HTML) followed by the story's sources block; the
    block is kept whole and the base shortened (whole lines) when both would not fit in one message."""
    block = sources_block(reports, t, zone)
    room = TELEGRAM_LIMIT - len(block) - len(BLOCK_SEPARATOR)
    if len(base) > room:
        base = _whole_lines(base, room)
    return base + BLOCK_SEPARATOR + block


def _whole_lines(text: str, limit: int) -> str:
    """The first lines of HTML `text` that fit in `limit` characters (a cut line would break its markup)."""
    kept: list[str] = []
    size = 0
    for line in text.split("\n"):
        if size + len(line) + 1 > limit - 1:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) + "\n…"


def reply_text(new: Sequence[StoryReport], everything: Sequence[StoryReport], t: Texts, zone: tzinfo) -> str:
    """The short reply threaded to an alert that can no longer be edited: the new reports and the status."""
    title = html.escape(t.ngettext("New source for this story:", "New sources for this story:", len(new)))
    lines = [f"➕ <b>{title}</b>", *_listing(new, t), "",
             f"📰 {html.escape(status_line(everything, t, zone))}",
             f"<i>{html.escape(corroboration(everything, t))}</i>"]
    text = t.layout("\n".join(lines))
    return text if len(text) <= TELEGRAM_LIMIT else _whole_lines(text, TELEGRAM_LIMIT)

