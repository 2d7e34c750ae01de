"""End-to-end: inline buttons and /latest (issue 6), in Arabic and English.

/keywords carries a remove button per keyword; /settings a menu of languages. Pressing a button is a
callback_query; stale, forged and garbage buttons change nothing and are answered in the user's language.
/latest shows what already matched, so a new subscriber is not left with an empty chat.
"""

from __future__ import annotations

import in_process
import pytest
from fakes import FeedItem
from interface_support import Message, button, buttons, current, press, unmarked
from test_end_to_end import OTHER, USER, Harness, link

from bot.core.interface.bidi import direction_problems

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)


async def keyword_message(h: Harness, chat_id: int, language_code: str) -> Message:
    replies = await h.ask(chat_id, "/keywords", language_code=language_code, expect=lambda m: bool(buttons(m)))
    return replies[-1]


async def test_remove_buttons_and_stale_or_forged_ones(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start", language_code="ar")
    await h.ask(USER, "/add Saraqib", language_code="ar")
    await h.ask(OTHER, "/start", language_code="en")
    listing = await keyword_message(h, USER, "ar")
    assert len(buttons(listing)) == 3 and "Saraqib" in unmarked(listing["visible_text"])

    saraqib = button(listing, "Saraqib")
    answer = await press(h, USER, listing, saraqib, language_code="ar")
    assert answer == "تمت إزالة «Saraqib»."
    edited = current(h, listing)
    assert "Saraqib" not in unmarked(edited["visible_text"]) and len(buttons(edited)) == 2
    assert direction_problems(edited["visible_text"]) == []

    # the same button again (an old message), another user's keyword, and garbage: nothing changes
    again = await press(h, USER, listing, saraqib, language_code="ar")
    assert again.startswith("لم تتم الإزالة") and "لم تعد في قائمتك" in again
    others = await keyword_message(h, OTHER, "en")
    foreign = await press(h, USER, listing, button(others, "Idlib"), language_code="ar")
    assert "لم تعد في قائمتك" in foreign
    for garbage in ("hello", "v2:kw-rm:1", "v1:kw-rm:99999999999999999999", "v1:set:ui:xx", "v1:menu:nowhere"):
        assert "لم يعد صالحًا" in await press(h, USER, listing, garbage, language_code="ar"), garbage
    assert len(buttons(current(h, others))) == 2
    mine = await keyword_message(h, USER, "ar")
    assert len(buttons(mine)) == 2

    # English speakers are answered in English
    english = await press(h, OTHER, others, "v1:kw-rm:abc", language_code="en")
    assert english == "This button is no longer valid. Send /settings or /keywords again."
    removed = await press(h, OTHER, others, button(others, "Idlib"), language_code="en")
    assert removed == "Removed “Idlib”."


async def test_settings_menu_changes_both_languages(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start", language_code="en")
    settings = (await h.ask(USER, "/settings", language_code="en", expect=lambda m: bool(buttons(m))))[-1]
    assert [caption for caption, _ in buttons(settings)] == [
        "Interface language: English", "Translate alerts into: English", "Quiet hours: off",
        "During quiet hours: send silently", "Digest: off", "Alert me about a story: at the first report",
        "Time zone: UTC"]

    assert await press(h, USER, settings, button(settings, "Interface language")) == ""
    page = current(h, settings)
    assert "« Back" in [caption for caption, _ in buttons(page)]
    assert await press(h, USER, settings, button(page, "العربية")) == "تم الحفظ."
    arabic_menu = current(h, settings)
    assert direction_problems(arabic_menu["visible_text"]) == []
    assert unmarked(buttons(arabic_menu)[0][0]) == "لغة الواجهة: العربية"

    await press(h, USER, settings, button(arabic_menu, "ترجمة التنبيهات"))
    assert await press(h, USER, settings, button(current(h, settings), "الروسية")) == "تم الحفظ."
    status = (await h.ask(USER, "/status", language_code="en"))[-1]["visible_text"]
    assert "لغة الواجهة: العربية" in unmarked(status) and "الترجمة إلى: الروسية" in unmarked(status)

    # an alert is now translated into Russian
    item = FeedItem("Idlib: aid convoy arrives", link("en", "convoy-ui"), "Trucks crossed this morning.")
    h.publish("en", item)
    await h.wait_for_alerts(USER, [item.link])
    assert "[ru] " in h.alerts_with(USER, item.link)[0]["visible_text"]


async def test_latest_fills_a_new_subscribers_chat(harness: Harness) -> None:
    h = harness
    await h.ask(OTHER, "/start", language_code="en")
    first = FeedItem("Shelling near Idlib overnight", link("en", "latest-1"), "Reports.")
    off_topic = FeedItem("Weekend weather forecast", link("en", "latest-weather"), "Sunny.")
    h.publish("en", first, off_topic)
    await h.wait_for_alerts(OTHER, [first.link])
    second = FeedItem("اشتباكات في ريف إدلب", link("ar", "latest-2"), "تقرير")
    h.publish("ar", second)
    await h.wait_for_alerts(OTHER, [second.link])

    # a subscriber who arrives later sees what already matched, newest first
    await h.ask(USER, "/start", language_code="en")
    latest = (await h.ask(USER, "/latest", language_code="en"))[-1]
    text = latest["visible_text"]
    assert text.startswith("The latest news for your keywords (last 72 hours):")
    assert text.index(second.title) < text.index(first.title), text
    assert first.link in text and second.link in latest["text"] and "Fake English Wire" in text
    assert off_topic.title not in text

    # in Arabic, right to left
    arabic = (await h.ask(USER, "/latest", language_code="ar"))[-1]["visible_text"]
    assert "آخر الأخبار لكلماتك المفتاحية" in arabic and direction_problems(arabic) == []

    # with no matching keyword there is nothing to show, and it says so
    for keyword in ("Idlib", "M4 highway (Syria)"):
        await h.ask(USER, f"/remove {keyword}", language_code="en")
    empty = (await h.ask(USER, "/latest", language_code="en"))[-1]["visible_text"]
    assert empty == "Nothing matched your keywords in the last 72 hours."
