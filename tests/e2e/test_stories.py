"""End-to-end: one alert per story, in every language, growing in place (issue 14).

The real application against fake Telegram, feeds and translator (test_end_to_end.py's `harness`). The
reports are written here for the purpose: one event (shelling that kills three civilians in Ariha) told
by three outlets in Arabic, Turkish and English, and near misses (the same kind of incident on the same
day in another town). The translator fake knows the English of the Arabic and Turkish reports, which is
both their translation for English readers and their pivot for clustering.
"""

from __future__ import annotations

import uuid

import pytest
import test_end_to_end
from fakes import FeedItem
from test_end_to_end import FEEDS, OTHER, USER, WAIT, Harness, Message

pytestmark = pytest.mark.e2e
harness = test_end_to_end.harness  # the running bot against the fakes (a fixture)

PIVOTS = {  # (source language, text) -> English
    ("ar", "مقتل ثلاثة مدنيين بقصف مدفعي على أريحا جنوب إدلب"):
        "Three civilians killed in artillery shelling on Ariha south of Idlib",
    ("ar", "قصفت قوات النظام مدينة أريحا صباح اليوم ما أدى إلى مقتل ثلاثة مدنيين."):
        "Government forces shelled the city of Ariha this morning, killing three civilians.",
    ("tr", "İdlib'in güneyindeki Eriha'ya topçu saldırısı: 3 sivil öldü"):
        "Artillery attack on Ariha in southern Idlib: 3 civilians killed",
    ("tr", "Rejim güçleri sabah saatlerinde Eriha kentini topçu ile vurdu, 3 sivil hayatını kaybetti."):
        "Regime forces hit the town of Ariha with artillery in the morning; 3 civilians lost their lives.",
}


def item(lang: str, outlet: str, title: str, summary: str) -> FeedItem:
    """A report on the outlet's own site (so each outlet is an independent source)."""
    return FeedItem(title, f"https://{outlet}.example/{lang}/{uuid.uuid4().hex[:10]}", summary)


def ariha_reports() -> list[tuple[str, FeedItem]]:
    return [
        ("ar", item("ar", "orient-wire", "مقتل ثلاثة مدنيين بقصف مدفعي على أريحا جنوب إدلب",
                    "قصفت قوات النظام مدينة أريحا صباح اليوم ما أدى إلى مقتل ثلاثة مدنيين.")),
        ("tr", item("tr", "anadolu-haber", "İdlib'in güneyindeki Eriha'ya topçu saldırısı: 3 sivil öldü",
                    "Rejim güçleri sabah saatlerinde Eriha kentini topçu ile vurdu, 3 sivil hayatını kaybetti.")),
        ("en", item("en", "levant-news", "Artillery shelling kills three civilians in Ariha, Idlib",
                    "Three civilians were killed when government artillery hit the town of Ariha this morning.")),
    ]


def teach_pivots(h: Harness) -> None:
    for (lang, text), english in PIVOTS.items():
        h.translator.known[(lang, "en", text)] = english


def story_messages(h: Harness, chat_id: int, links: list[str]) -> list[Message]:
    """The messages in the chat that show any of the story's links."""
    return [m for m in h.inbox(chat_id) if any(link in str(m.get("text", "")) for link in links)]


def edits_of(h: Harness, message: Message) -> list[Message]:
    return [e for e in h.api.edits
            if str(e.get("chat_id")) == str(message["chat_id"]) and e.get("message_id") == message["message_id"]]


async def publish_and_wait_for_edits(h: Harness, lang: str, report: FeedItem, first: dict[int, Message],
                                     count: int) -> None:
    h.publish(lang, report)
    await h.app.wait_until(lambda: all(len(edits_of(h, m)) >= count for m in first.values()), WAIT,
                           f"edit {count} of the alerts after the {lang} report; edits: {h.api.edits}")


async def test_three_reports_in_three_languages_are_one_message_edited_twice(harness: Harness) -> None:
    h = harness
    teach_pivots(h)
    for chat in (USER, OTHER):
        await h.ask(chat, "/start")
    reports = ariha_reports()
    links = [report.link for _, report in reports]

    h.publish("ar", reports[0][1])
    await h.wait_for_alerts(USER, [links[0]])
    await h.wait_for_alerts(OTHER, [links[0]])
    first = {chat: story_messages(h, chat, links)[0] for chat in (USER, OTHER)}
    assert "single source" in first[USER]["visible_text"]
    await publish_and_wait_for_edits(h, reports[1][0], reports[1][1], first, 1)
    await publish_and_wait_for_edits(h, reports[2][0], reports[2][1], first, 2)
    await h.settle()

    for chat in (USER, OTHER):
        [message] = story_messages(h, chat, links)
        assert len(edits_of(h, message)) == 2
        shown = message["visible_text"]
        assert all(link in str(message["text"]) for link in links), shown
        assert "3 sources · ar, tr, en" in shown and "confirmed by 3 sources" in shown
        assert all(FEEDS[lang][0] in shown for lang in ("ar", "tr", "en"))
        assert message.get("reply_markup"), "the buttons stay under the edited alert"


async def test_near_miss_events_are_two_messages(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    ariha = item("en", "levant-news", "Artillery shelling kills three civilians in Ariha, Idlib",
                 "Three civilians were killed when artillery hit the town of Ariha this morning.")
    saraqib = item("en", "syria-daily", "Artillery shelling kills two civilians in Saraqib, Idlib",
                   "Two civilians were killed when artillery hit the town of Saraqib this morning.")
    h.publish("en", ariha)
    await h.wait_for_alerts(USER, [ariha.link])
    h.publish("en", saraqib)
    await h.wait_for_alerts(USER, [saraqib.link])
    await h.settle()

    alerts = story_messages(h, USER, [ariha.link, saraqib.link])
    assert len(alerts) == 2
    assert h.api.edits == []
    assert all("single source" in alert["visible_text"] for alert in alerts)


async def test_kill_between_the_first_alert_and_its_edit_loses_no_source(harness: Harness) -> None:
    h = harness
    await h.stop()
    h.app.settings["SEND_LEASE_SECONDS"] = "2"  # rows claimed by the killed process come back quickly
    await h.start()
    await h.ask(USER, "/start")
    title = "Three civilians killed as artillery hits Ariha in Idlib countryside"  # one wire story, two sites
    summary = "The shelling hit a residential street in the morning, local rescuers said."
    first, second = item("en", "levant-news", title, summary), item("en", "syria-daily", title, summary)
    h.publish("en", first)
    await h.wait_for_alerts(USER, [first.link])
    [alert] = story_messages(h, USER, [first.link])

    h.api.fail_next_send(USER, 502, "Bad Gateway", method="editMessageText")  # the edit waits for a retry
    h.publish("en", second)
    await h.app.wait_until(lambda: any(f["method"] == "editMessageText" for f in h.api.failures), WAIT,
                           "the first attempt to edit the alert")
    await h.app.kill()  # SIGKILL while the edit waits in the outbox (its row perhaps still claimed)
    await h.app.start()
    await h.app.wait_until(lambda: bool(edits_of(h, alert)), WAIT, "the alert to be edited after the restart")
    await h.settle()

    [message] = story_messages(h, USER, [first.link, second.link])
    assert message["message_id"] == alert["message_id"]
    assert len(edits_of(h, alert)) == 1
    assert first.link in str(message["text"]) and second.link in str(message["text"])
    assert "confirmed by 2 sources" in message["visible_text"]


async def test_a_deleted_alert_gets_a_threaded_reply_instead_of_an_edit(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    title = "Joint patrol resumes on the M4 highway near Ariha, Idlib"
    summary = "Turkish and Russian vehicles drove the section between Saraqib and Ariha, witnesses said."
    first, second = item("en", "levant-news", title, summary), item("en", "syria-daily", title, summary)
    h.publish("en", first)
    await h.wait_for_alerts(USER, [first.link])
    [alert] = story_messages(h, USER, [first.link])
    h.api.user_deletes(USER, alert["message_id"])

    h.publish("en", second)
    await h.wait_for_alerts(USER, [second.link])
    await h.settle()

    alert_now, reply = story_messages(h, USER, [first.link, second.link])
    assert alert_now["message_id"] == alert["message_id"] and second.link not in str(alert_now["text"])
    assert (reply.get("reply_parameters") or {}).get("message_id") == alert["message_id"]
    assert "New source for this story" in reply["visible_text"] and "confirmed by 2 sources" in reply["visible_text"]
    assert [f["method"] for f in h.api.failures] == ["editMessageText"]
