"""Conversations with the bot, end to end in this process: commands, /help, admin-only /feeds, alerts
in four languages with their translations, /add, /lang, /test and ambiguous names.

Moved from test_end_to_end.py (unchanged bodies and assertions): the application is wired as in
production but runs in the test's process (tests/e2e/in_process.py), so no Python process is started
per test. test_end_to_end.py keeps the subprocess tests of the wiring (restart, delivery faults).
"""

from __future__ import annotations

import in_process
import pytest
from fakes import FeedItem
from test_end_to_end import ADMIN, FEEDS, OTHER, USER, WAIT, Harness, link, shows

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)


async def test_start_help_and_admin_only_feeds(harness: Harness) -> None:
    h = harness
    assert await h.ask(USER, "/start"), "/start gets a reply"

    help_reply = await h.ask(
        USER, "/help", expect=lambda m: "/add" in m["visible_text"], what="a /help reply mentioning /add"
    )
    assert any("/add" in m["visible_text"] for m in help_reply)

    feed_marks = [(name, h.feeds.url(path)) for name, path in FEEDS.values()]

    since = len(h.inbox(USER))
    await h.ask(USER, "/feeds")
    await h.settle(1.0)
    refusal_texts = h.texts(USER, since)
    assert all(text.strip() for text in refusal_texts)
    for name, url in feed_marks:
        assert not any(name in t or url in t for t in refusal_texts), (
            f"a non-admin must not see the feed list; got {refusal_texts}"
        )

    since = len(h.inbox(ADMIN))
    h.api.user_sends(ADMIN, "/feeds", language_code="en")
    await h.app.wait_until(
        lambda: all(
            any(name in m["visible_text"] or shows(m, url) for m in h.inbox(ADMIN)[since:]) for name, url in feed_marks
        ),
        WAIT,
        f"the admin's /feeds reply listing all four feeds; got {h.texts(ADMIN, since)}",
    )


async def test_alerts_in_four_languages_keywords_and_language(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")

    items = {
        "ar": FeedItem("قصف على ريف إدلب الجنوبي", link("ar", "qasf"), "تقرير ميداني من مراسلنا"),
        "tr": FeedItem("İdlib'de yeni saldırı", link("tr", "saldiri"), "Bölgeden son dakika haberi"),
        "ru": FeedItem("Обстрел в Идлибе", link("ru", "obstrel"), "Сообщает наш корреспондент"),
        "en": FeedItem("Shelling hits Idlib countryside", link("en", "shelling"), "Our correspondent reports."),
    }
    apple = FeedItem("Apple unveils M4 chip MacBook", link("en", "apple-m4"), "The new laptops ship next week.")
    for lang, item in items.items():
        if lang == "en":
            h.publish("en", item, apple)  # same fetch as a matching item: a fair negative check
        else:
            h.publish(lang, item)

    await h.wait_for_alerts(USER, [item.link for item in items.values()], timeout=20)
    await h.settle()
    for lang, item in items.items():
        alerts = h.alerts_with(USER, item.link)
        assert len(alerts) == 1, f"exactly one alert for the {lang} item; got {[a['visible_text'] for a in alerts]}"
        text = alerts[0]["visible_text"]
        assert item.title in text, f"the alert shows the original {lang} title: {text!r}"
        if lang == "en":
            assert "[en] " not in text, f"no translation for an English item to an English reader: {text!r}"
        else:
            assert "[en] " in text, f"the {lang} alert carries the English translation: {text!r}"
    assert not any(shows(m, apple.link) or apple.title in m["visible_text"] for m in h.inbox(USER)), (
        "Apple's M4 chip is not news about the M4 highway"
    )

    # a keyword typed in English matches an Arabic report
    await h.ask(USER, "/add Saraqib")
    await h.ask(
        USER,
        "/keywords",
        expect=lambda m: "saraqib" in m["visible_text"].casefold(),
        what="/keywords listing Saraqib",
    )
    saraqib = FeedItem("اشتباكات قرب سراقب", link("ar", "saraqib"), "تقرير ميداني")
    h.publish("ar", saraqib)
    await h.wait_for_alerts(USER, [saraqib.link])
    alert = h.alerts_with(USER, saraqib.link)[0]["visible_text"]
    assert saraqib.title in alert
    assert "[en] " in alert

    # alerts are translated into the language the user picked
    await h.ask(USER, "/lang ru")
    english = FeedItem("Aid convoy reaches Idlib", link("en", "convoy"), "Trucks crossed this morning.")
    h.publish("en", english)
    await h.wait_for_alerts(USER, [english.link])
    alert = h.alerts_with(USER, english.link)[0]["visible_text"]
    assert english.title in alert
    assert "[ru] " in alert, f"after /lang ru the alert carries a Russian translation: {alert!r}"

    await h.settle()
    for item in (saraqib, english):
        assert len(h.alerts_with(USER, item.link)) == 1, f"one alert for {item.title}"


async def test_ambiguous_keyword_test_command_and_quotes(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start")
    await h.ask(OTHER, "/start")

    added = await h.ask(USER, "/add أريحا", expect=lambda m: "ambiguous" in m["visible_text"].casefold(),
                        what="/add of an ambiguous name says so")
    assert any("Jericho" in m["visible_text"] for m in added), "the reply says what else the name means"

    explained = await h.ask(USER, "/test Shelling near Ariha in Idlib province",
                            expect=lambda m: "would match" in m["visible_text"].casefold())
    reply = explained[-1]["visible_text"]
    assert "Idlib" in reply and "Ariha" in reply, f"/test names the keywords and the words: {reply!r}"
    nothing = await h.ask(USER, "/test Palestinian police deploy in Jericho",
                          expect=lambda m: "none of your keywords" in m["visible_text"].casefold())
    assert nothing

    syrian = FeedItem("Eriha'da hastane yeniden açıldı", link("tr", "eriha"), "Suriye'nin İdlib kırsalındaki Eriha")
    jericho = FeedItem("Filistin polisi Eriha'da devriye attı", link("tr", "jericho"), "Batı Şeria'daki Eriha")
    h.publish("tr", syrian, jericho)
    await h.wait_for_alerts(USER, [syrian.link])
    await h.wait_for_alerts(OTHER, [syrian.link])  # through the built-in Idlib keyword
    await h.settle()
    (alert,) = h.alerts_with(USER, syrian.link)
    assert "«Eriha" in alert["visible_text"] or "«İdlib" in alert["visible_text"], "the alert quotes the words"
    assert not h.alerts_with(USER, jericho.link), "Jericho in the West Bank is not Ariha in Idlib"
    assert not h.alerts_with(OTHER, jericho.link)
