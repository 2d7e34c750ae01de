"""End-to-end: an alert whose translation failed goes out with a note, and is edited once the translator
answers again (issue 16.4). The real application in this process against fake Telegram, feeds and
LibreTranslate (tests/e2e/in_process.py)."""

from __future__ import annotations

import uuid

import in_process
import pytest
from fakes import FeedItem
from interface_support import buttons
from test_end_to_end import USER, WAIT, Harness

from bot.handlers.jobs import Jobs

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)

TITLE = "انفجار قرب مدينة إدلب"
SUMMARY = "وقع انفجار صباح اليوم قرب مدينة إدلب."


def send_jobs(h: Harness) -> Jobs:
    """The application's Jobs (the send tick's owner), to look at late translations without waiting a minute."""
    app = h.app.app  # type: ignore[attr-defined]
    [job] = app.job_queue.get_jobs_by_name("send")
    jobs = job.callback.__self__
    assert isinstance(jobs, Jobs)
    return jobs


async def test_an_untranslated_alert_is_edited_when_the_translator_recovers(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start", language_code="en")
    send_jobs(h).late_every = 0.0  # a look at every send tick (in production: once a minute)
    link = f"https://orient-wire.example/ar/{uuid.uuid4().hex[:10]}"
    h.translator.fail_next(2, 500)  # the title and the summary: every translator of the chain fails
    h.publish("ar", FeedItem(TITLE, link, SUMMARY))

    await h.app.wait_until(lambda: any(link in str(m.get("text", "")) for m in h.inbox(USER)), WAIT,
                           "the alert, untranslated")
    [alert] = [m for m in h.inbox(USER) if link in str(m.get("text", ""))]
    message_id = alert["message_id"]

    def edits() -> list[dict[str, object]]:
        return [e for e in h.api.edits if e.get("message_id") == message_id and str(e.get("chat_id")) == str(USER)]

    [sent] = [c for c in h.api.calls_to("sendMessage") if link in str(c.get("text", ""))]
    assert "Translation to English is unavailable right now." in str(sent["text"])
    await h.app.wait_until(lambda: bool(edits()), WAIT, f"the alert's edit; edits: {h.api.edits}")
    await h.app.run_for(1.0)
    [edit] = edits()
    shown = str(edit["visible_text"])
    assert f"[en] {TITLE}" in shown and f"[en] {SUMMARY}" in shown and "unavailable" not in shown
    assert TITLE in shown.split(f"[en] {SUMMARY}")[1] and link in shown  # the original and the link stay
    assert edit.get("reply_markup") == sent.get("reply_markup")  # the buttons stay
    assert any("Original" in caption for caption, _ in buttons(alert))
    assert len([m for m in h.inbox(USER) if link in str(m.get("text", ""))]) == 1  # no second message
