"""Benchmark (not a test): the cost of story clustering per report, and its memory as stories accumulate.

A seeded synthetic stream stands in for what 500 feeds match over several days: events in the towns of
config/places.toml, each reported 1 to 6 times in the four languages within hours. The stream goes through
the clustering the scan runs (bot/core/stories/replay.py: features_of, choose_story, absorb; stories older
than the window leave). Prints:

1. per report: reading its features (features_of) and choosing its story (choose_story) against the open
   stories, mean and 95th percentile, with the number of open stories at that time;
2. loading the open stories from their stored JSON (StoryFeatures.from_json), as a scan would each cycle;
3. the memory the open stories hold (tracemalloc), every 12 simulated hours: flat once the first window
   has passed, because closed stories leave.

    PYTHONPATH=. python scripts/bench_stories.py [--reports-per-hour 120] [--hours 96] [--seed 7]

120 matched reports an hour is 500 feeds each matching about one entry in four hours (the built-in
keywords match a few percent of what Syrian and regional outlets publish).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.adapters.config_files import load_places
from bot.core.matching.places import Place
from bot.core.stories.clustering import (
    Report,
    StoryFeatures,
    StoryRecord,
    absorb,
    choose_story,
    features_of,
    open_since,
)
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

PLACES_FILE = Path(__file__).resolve().parents[1] / "config" / "places.toml"
LANGS = ("ar", "tr", "ru", "en")
KINDS = {
    "shelling": {"en": "Artillery shelling hits", "ar": "قصف مدفعي يستهدف", "tr": "topçu saldırısı:",
                 "ru": "Артиллерийский обстрел в районе"},
    "airstrike": {"en": "Air strikes on", "ar": "غارات جوية على", "tr": "hava saldırısı:", "ru": "Авиаудары по"},
    "bombing": {"en": "Car bomb explodes in", "ar": "انفجار سيارة مفخخة في", "tr": "bombalı araç saldırısı:",
                "ru": "Взрыв заминированного автомобиля в"},
    "protest": {"en": "Protesters rally in", "ar": "مظاهرة في", "tr": "protesto gösterisi:", "ru": "Митинг протеста в"},
    "convoy": {"en": "Military convoy reaches", "ar": "رتل عسكري يصل إلى", "tr": "askeri konvoy:",
               "ru": "Военная колонна прибыла в"},
}
FILLER = {"en": "residents said on local media after the incident in the countryside".split(),
          "ar": "قال ناشطون محليون إن الحادثة وقعت في الريف صباح اليوم".split(),
          "tr": "yerel kaynaklar olayın kırsal bölgede sabah saatlerinde yaşandığını bildirdi".split(),
          "ru": "как сообщили местные источники инцидент произошел в сельской местности утром".split()}


def name_in(place: Place, lang: str, rng: random.Random) -> str:
    names = place.names.get(lang) or place.names.get("en") or next(iter(place.names.values()))
    return rng.choice(names)


def stream(places: list[Place], per_hour: float, hours: int, rng: random.Random) -> Iterator[Report]:
    """Reports in order of publication: events at random times, each reported 1-6 times within 8 hours."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    reports: list[Report] = []
    serial = 0
    for _ in range(int(per_hour * hours / 3.5)):  # 3.5 reports per event on average
        at = start + timedelta(hours=rng.uniform(0, hours))
        place, kind, count = rng.choice(places), rng.choice(list(KINDS)), rng.randint(2, 40)
        for _ in range(rng.randint(1, 6)):
            serial += 1
            lang = rng.choice(LANGS)
            words = rng.sample(FILLER[lang], 5)
            title = f"{KINDS[kind][lang]} {name_in(place, lang, rng)}: {count}"
            reports.append(Report(key=str(serial), source=f"feed{rng.randrange(500)}.example", lang=lang,
                                  published=at + timedelta(minutes=rng.uniform(0, 480)), title=title,
                                  summary=" ".join(words), link=f"https://feed.example/{serial}"))
    yield from sorted(reports, key=lambda report: report.published)


def timed_pass(reports: list[Report], index: PlaceIndex) -> None:
    """Cluster the stream, timing features_of and choose_story per report; then loading from JSON."""
    stories: dict[int, StoryRecord] = {}
    reading: list[float] = []
    choosing: list[tuple[float, int]] = []
    for report in reports:
        horizon = open_since(report.published)
        for story_id in [key for key, story in stories.items() if story.first_published < horizon]:
            del stories[story_id]
        began = time.perf_counter()
        features = features_of(report, index)
        middle = time.perf_counter()
        chosen = choose_story(report, features, list(stories.values()))
        choosing.append((time.perf_counter() - middle, len(stories)))
        reading.append(middle - began)
        if chosen is None:
            chosen = len(reading)
            stories[chosen] = StoryRecord(chosen, report.published, report.published, features,
                                          frozenset({report.source}), frozenset({report.lang}))
        else:
            stories[chosen] = absorb(stories[chosen], report, features)
    most = max(count for _, count in choosing)
    steady = [seconds for seconds, count in choosing if count >= most * 0.8]
    print(f"reports: {len(reports)}; open stories at most: {most}")
    print(f"features_of per report: mean {statistics.mean(reading) * 1e3:.2f} ms, "
          f"p95 {statistics.quantiles(reading, n=20)[18] * 1e3:.2f} ms")
    print(f"choose_story per report: mean {statistics.mean(s for s, _ in choosing) * 1e3:.2f} ms, "
          f"p95 {statistics.quantiles([s for s, _ in choosing], n=20)[18] * 1e3:.2f} ms; "
          f"with at least {most * 0.8:.0f} open stories: mean {statistics.mean(steady) * 1e3:.2f} ms")
    payloads = [story.features.to_json() for story in stories.values()]
    began = time.perf_counter()
    for payload in payloads:
        StoryFeatures.from_json(payload)
    print(f"loading {len(payloads)} open stories from their JSON: {(time.perf_counter() - began) * 1e3:.1f} ms")


def memory_pass(reports: list[Report], index: PlaceIndex) -> None:
    """Cluster the stream again (bot/core/stories/replay.py), printing traced memory every 12 hours."""
    replay = Replay(index)
    replay.assign(reports[0])  # the lexicon is compiled once per process: not part of what accumulates
    tracemalloc.start()
    start = reports[0].published
    next_sample = 0
    print(f"{'hour':>5} {'reports':>8} {'open stories':>12} {'traced KiB':>10}")
    for count, report in enumerate(reports[1:], start=2):
        replay.assign(report)
        hour = int((report.published - start).total_seconds() // 3600)
        if hour >= next_sample:
            current = tracemalloc.get_traced_memory()[0] / 1024
            print(f"{hour:>5} {count:>8} {len(replay.open_stories):>12} {current:>10.0f}")
            next_sample = hour + 12
    tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports-per-hour", type=float, default=120)
    parser.add_argument("--hours", type=int, default=96)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    places = load_places(PLACES_FILE)
    reports = list(stream(places, args.reports_per_hour, args.hours, random.Random(args.seed)))
    index = PlaceIndex.from_places(places)
    timed_pass(reports, index)
    print()
    memory_pass(reports, index)


if __name__ == "__main__":
    main()
