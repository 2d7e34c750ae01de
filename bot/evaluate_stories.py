"""`python -m bot eval-stories FILE.jsonl [--translator offline|configured] [--errors]`: how well stories are clustered.

Reads items labelled with their true story (fields id, story, lang, source, published, title, summary),
clusters them in order of publication with the code the scan runs (bot/core/stories/replay.py), and prints
pairwise precision and recall, B-cubed F1 and messages per story, per language pair and overall.

Translation modes: `offline` (the default) gives clustering no pivot text, so reports in different
languages meet only through places, kinds of incident, ordinals, counts and weekdays; `configured` fills
the pivot (English) through the translation cache of DATABASE_URL and the TRANSLATOR setting, as the scan
does, so the figures depend on that translator (and the network it needs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.adapters.config_files import load_places
from bot.core.stories.clustering import Report
from bot.core.stories.evaluation import Clustered, format_errors, format_report
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import cluster
from bot.errors import ConfigFileError
from bot.evaluate import read_corpus
from bot.settings import Settings

Pivot = Callable[[Report], Awaitable[str | None]]
_REQUIRED = ("id", "story", "lang", "source", "published", "title")


def _published(value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ConfigFileError(f"{where}: 'published' is not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise ConfigFileError(f"{where}: 'published' needs a time zone: {value!r}")
    return moment


def labelled_reports(path: str) -> list[tuple[Report, str]]:
    """The items of a labelled stories file as reports with their true story, in order of publication."""
    labelled = []
    for number, item in enumerate(read_corpus(path), start=1):
        where = f"{path}: item {number} ({item.get('id', '?')})"
        missing = [name for name in _REQUIRED if not str(item.get(name) or "").strip()]
        if missing:
            raise ConfigFileError(f"{where}: missing {', '.join(missing)}")
        report = Report(key=str(item["id"]), source=str(item["source"]), lang=str(item["lang"]),
                        published=_published(item["published"], where), title=str(item["title"]),
                        summary=str(item.get("summary") or ""), link=str(item.get("link") or ""))
        labelled.append((report, str(item["story"])))
    return sorted(labelled, key=lambda pair: pair[0].published)


async def with_pivots(labelled: Sequence[tuple[Report, str]], pivot: Pivot) -> list[tuple[Report, str]]:
    """The reports with their pivot text filled in by `pivot` (None leaves a report without one)."""
    filled = []
    for report, truth in labelled:
        text = await pivot(report) if report.lang != "en" else None
        filled.append((replace(report, pivot=text), truth))
    return filled


def evaluate_stories(labelled: Sequence[tuple[Report, str]], places: PlaceIndex, title: str,
                     errors: bool = False) -> str:
    """The printed report for reports already carrying (or lacking) their pivot text; with `errors`, every
    wrong decision is listed first (the summary line stays last)."""
    truth = {report.key: story for report, story in labelled}
    items = [Clustered(report.lang, truth[report.key], str(story_id),
                       f"{report.key} {report.published:%Y-%m-%d %H:%M} {report.source}: {report.title}")
             for report, story_id in cluster((report for report, _ in labelled), places)]
    report = format_report(title, items)
    return f"{format_errors(items)}\n\n{report}" if errors else report


def place_index(settings: Settings) -> PlaceIndex:
    """The gazetteer of PLACES_FILE as a place index (empty when the file does not exist)."""
    path = settings.places_file
    return PlaceIndex.from_places(load_places(path) if path.exists() else [])


async def run_configured(path: str, settings: Settings, errors: bool = False) -> str:
    """eval-stories with pivots from the translation cache and the configured translator."""
    from bot.adapters.storage.database import Storage
    from bot.app import build_translator_chain
    from bot.services.translation import TranslationService

    labelled = labelled_reports(path)
    storage = await Storage.connect(settings.database_url)
    try:
        service = TranslationService(storage, build_translator_chain(settings), lambda: datetime.now(UTC),
                                     timeout=settings.translation_timeout_seconds)

        async def pivot(report: Report) -> str | None:
            title, summary = await service.translate_pair(report.title, report.summary, report.lang, "en")
            return None if title is None else f"{title}\n{summary or ''}"

        filled = await with_pivots(labelled, pivot)
    finally:
        await storage.close()
    missing = sum(1 for report, _ in filled if report.lang != "en" and report.pivot is None)
    title = (f"Stories in {path} (translator {settings.translator} with the cache; "
             f"{missing} reports left untranslated):")
    return evaluate_stories(filled, place_index(settings), title, errors)


def run_offline(path: str, settings: Settings, errors: bool = False) -> str:
    """eval-stories with no translation at all."""
    return evaluate_stories(labelled_reports(path), place_index(settings),
                            f"Stories in {path} (offline: no translation):", errors)
