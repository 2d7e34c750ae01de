"""The contract between story clustering (bot/core/stories) and the services that store stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.stories.clustering import (
    WINDOW,
    Report,
    StoryFeatures,
    StoryRecord,
    absorb,
    choose_story,
    features_of,
    open_since,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _report(key: str, title: str, *, hours: float = 0, link: str = "", source: str = "a.example") -> Report:
    return Report(key=key, source=source, lang="en", published=T0 + timedelta(hours=hours), title=title, link=link)


def _story(report: Report, story_id: int = 1) -> StoryRecord:
    return StoryRecord(story_id, report.published, report.published, features_of(report),
                       frozenset({report.source}), frozenset({report.lang}))


def test_features_survive_a_json_round_trip() -> None:
    features = features_of(_report("1", "Shelling hits Ariha", link="https://a.example/1"))
    assert StoryFeatures.from_json(features.to_json()) == features


def test_a_report_of_the_same_link_joins_its_story_and_an_unrelated_one_does_not() -> None:
    first = _report("1", "Shelling hits Ariha", link="https://a.example/1")
    story = _story(first)
    same = _report("2", "Shelling hits Ariha, updated", link="https://a.example/1", hours=1)
    other = _report("3", "Bakery reopens in Sarmada", link="https://a.example/9", hours=1)
    assert choose_story(same, features_of(same), [story]) == 1
    assert choose_story(other, features_of(other), [story]) is None


def test_a_story_past_its_window_takes_no_more_reports() -> None:
    first = _report("1", "Shelling hits Ariha", link="https://a.example/1")
    late = _report("2", "Shelling hits Ariha", link="https://a.example/1", hours=WINDOW.total_seconds() / 3600 + 1)
    assert choose_story(late, features_of(late), [_story(first)]) is None
    assert open_since(late.published) > first.published


def test_absorbing_a_report_widens_the_story() -> None:
    first = _report("1", "Shelling hits Ariha", link="https://a.example/1")
    second = Report(key="2", source="b.example", lang="ar", published=T0 + timedelta(hours=2), title="قصف أريحا",
                    link="https://a.example/1")
    grown = absorb(_story(first), second, features_of(second))
    assert grown.sources == {"a.example", "b.example"}
    assert grown.languages == {"en", "ar"}
    assert grown.last_published == second.published
    assert grown.first_published == first.published
