"""What a report is about when its title names no kind of incident (bot/core/stories/affinity.py's `about`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.matching.places import REGION, Place
from bot.core.stories.clustering import Report
from bot.core.stories.place_index import PlaceIndex
from bot.core.stories.replay import Replay

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
PLACES = PlaceIndex.from_places([
    Place("idlib", "Idlib", {"ar": ("إدلب",), "tr": ("İdlib",), "ru": ("Идлиб",), "en": ("Idlib",)}, scope=REGION),
])
STORY = Report("1", "aa.com.tr", "tr", T0, "İdlib'de Türk üssüne saldırı",
               "Bölgedeki Türk askerlerine yönelik topçu atışı düzenlendi.")


def test_a_title_naming_no_incident_is_about_what_its_summary_names() -> None:
    replay = Replay(PLACES)
    first = replay.assign(STORY)
    later = replay.assign(Report("2", "hurriyet.com.tr", "tr", T0 + timedelta(hours=1), "İdlib'den acı haber",
                                 "İdlib'de Türk askerlerine yönelik topçu ateşi sonucu bir asker şehit oldu."))
    assert later == first


def test_a_summary_of_another_kind_keeps_it_out() -> None:
    replay = Replay(PLACES)
    first = replay.assign(STORY)
    later = replay.assign(Report("2", "hurriyet.com.tr", "tr", T0 + timedelta(hours=1), "İdlib'den acı haber",
                                 "İdlib'de Türk askerlerini taşıyan araç trafik kazası yaptı."))
    assert later != first
