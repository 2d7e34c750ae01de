"""End-to-end: quiet hours, urgent keywords and the buttons under alerts (issue 6), in English and Arabic.

Quiet hours are set around the current hour, so the bot is inside them whatever the time of the run.
Digests at the end of quiet hours and hourly/daily digests need the clock to move; they are covered
with a hand-moved clock in tests/services/test_delivery_modes.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import in_process
import pytest
from fakes import FeedItem
from interface_support import button, buttons, current, press, unmarked
from test_end_to_end import OTHER, USER, Harness, link

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)


def quiet_now() -> str:
    """A two-hour quiet window (UTC) that contains this moment."""
    hour = datetime.now(UTC).hour
    return f"{hour}-{(hour + 2) % 24}"


async def test_silent_quiet_hours_and_the_buttons_under_an_alert(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    await h.ask(USER, "/timezone UTC", expect=lambda m: "UTC" in m["visible_text"])
    await h.ask(USER, f"/quiet {quiet_now()}", expect=lambda m: "Quiet hours:" in m["visible_text"])

    item = FeedItem("قصف على ريف إدلب", link("ar", "quiet-1"), "تقرير")
    h.publish("ar", item)
    await h.wait_for_alerts(USER, [item.link])
    alert = h.alerts_with(USER, item.link)[0]
    assert alert.get("disable_notification") is True, "alerts in quiet hours arrive without sound"
    captions = [unmarked(caption) for caption, _ in buttons(alert)]
    assert "📄 Original" in captions and "🔕 Keyword 24 h" in captions and "🔕 Fake Arabic Wire 24 h" in captions
    markup = alert["reply_markup"]["inline_keyboard"]
    assert any(b.get("url") == item.link for row in markup for b in row), "an Open button with the item's link"

    assert await press(h, USER, alert, button(alert, "Original")) == ""
    shown = current(h, alert)
    assert item.title in shown["visible_text"] and "[en]" not in shown["visible_text"]
    await press(h, USER, alert, button(shown, "Translation"))
    assert "[en]" in current(h, alert)["visible_text"]

    muted = await press(h, USER, alert, button(alert, "Fake Arabic Wire"))
    assert muted == "Muted Fake Arabic Wire for 24 h. /unmute lifts it."
    quiet_arabic = FeedItem("اشتباكات في إدلب", link("ar", "quiet-2"), "تقرير")
    english = FeedItem("Idlib: schools reopen", link("en", "quiet-3"), "Report.")
    h.publish("ar", quiet_arabic)
    h.publish("en", english)
    await h.wait_for_alerts(USER, [english.link])
    await h.settle()
    assert not h.alerts_with(USER, quiet_arabic.link), "a muted source sends nothing"
    lifted = await h.ask(USER, "/unmute", expect=lambda m: "lifted" in m["visible_text"])
    assert lifted[-1]["visible_text"] == "1 mute lifted."

    # someone else's alert button does nothing to this chat
    foreign = await press(h, OTHER, alert, button(alert, "Keyword"))
    assert "not offered" in foreign


async def test_held_quiet_hours_let_urgent_keywords_through_in_arabic(harness: Harness) -> None:
    h = harness
    await h.ask(OTHER, "/start", language_code="ar")
    await h.ask(OTHER, "/timezone UTC", language_code="ar")
    await h.ask(OTHER, f"/quiet {quiet_now()} hold", language_code="ar",
                expect=lambda m: "ساعات الهدوء" in m["visible_text"])
    await h.ask(OTHER, "/add Saraqib", language_code="ar")
    reply = await h.ask(OTHER, "/urgent Saraqib", language_code="ar", expect=lambda m: "عاجلة" in m["visible_text"])
    assert "Saraqib" in unmarked(reply[-1]["visible_text"])

    routine = FeedItem("Idlib: market prices rise", link("en", "held-1"), "Report.")
    urgent = FeedItem("Clashes near Saraqib", link("en", "urgent-1"), "Report.")
    h.publish("en", routine, urgent)
    await h.wait_for_alerts(OTHER, [urgent.link])
    await h.settle()

    alert = h.alerts_with(OTHER, urgent.link)[0]
    assert not alert.get("disable_notification"), "an urgent alert rings"
    assert not h.alerts_with(OTHER, routine.link), "a routine alert waits for the end of quiet hours"
    settings = await h.ask(OTHER, "/settings", language_code="ar", expect=lambda m: bool(buttons(m)))
    captions = [unmarked(caption) for caption, _ in buttons(settings[-1])]
    assert any(caption.startswith("خلال ساعات الهدوء") for caption in captions)
