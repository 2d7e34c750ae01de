"""End-to-end: the interface speaks the user's language (issue 6).

Telegram's language_code picks the language until the user chooses one with /language or /settings;
Arabic replies read right to left; the command menu is registered in every language.
"""

from __future__ import annotations

import json

import in_process
import pytest
from interface_support import button, buttons, current, press, unmarked
from test_end_to_end import ADMIN, OTHER, USER, WAIT, Harness

from bot.core.interface.bidi import LRI, PDI, RLM, direction_problems

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)


def menu(h: Harness, language_code: str = "") -> dict[str, str]:
    key = json.dumps([{"type": "default"}, language_code], sort_keys=True)
    return {c["command"]: c["description"] for c in h.api.commands.get(key, [])}


async def test_arabic_user_is_answered_in_arabic_right_to_left(harness: Harness) -> None:
    h = harness
    started = await h.ask(USER, "/start", language_code="ar")
    text = started[-1]["visible_text"]
    assert "تم الاشتراك" in text and text.startswith(RLM), f"an Arabic welcome: {text!r}"
    assert f"{LRI}/lang{PDI}" in text, "commands stay whole inside Arabic lines"

    helped = await h.ask(USER, "/help", language_code="ar", expect=lambda m: "/add" in m["visible_text"])
    assert "إلغاء الاشتراك" in helped[-1]["visible_text"]
    assert direction_problems(helped[-1]["visible_text"], allowed="M") == []

    listed = await h.ask(USER, "/keywords", language_code="ar", expect=lambda m: bool(buttons(m)))
    keywords = listed[-1]
    assert "كلماتك المفتاحية" in keywords["visible_text"]
    assert direction_problems(keywords["visible_text"]) == [], keywords["visible_text"]
    assert all(unmarked(caption).startswith("✖ حذف") for caption, _ in buttons(keywords))

    # an English speaker at the same time still reads English
    english = await h.ask(OTHER, "/start", language_code="en")
    assert english[-1]["visible_text"].startswith("Subscribed.")
    # a language the bot does not speak falls back to English
    german = await h.ask(1003, "/help", language_code="de")
    assert german[-1]["visible_text"].startswith("I send you news")


async def test_command_menu_is_registered_in_every_language(harness: Harness) -> None:
    h = harness
    await h.app.wait_until(lambda: all(menu(h, code) for code in ("", "ar", "tr", "ru")), WAIT,
                           "setMyCommands for the default menu and ar, tr, ru")
    english, arabic, turkish, russian = (menu(h, code) for code in ("", "ar", "tr", "ru"))
    assert set(english) == set(arabic) == set(turkish) == set(russian) >= {"start", "latest", "settings", "language"}
    assert english["latest"] == "Latest news for my keywords"
    assert arabic["latest"] == "آخر الأخبار لكلماتي المفتاحية"
    assert turkish["settings"] == "Diller ve diğer ayarlar"
    assert russian["start"] == "Подписаться на оповещения"


async def test_language_command_changes_the_interface_but_not_the_translation(harness: Harness) -> None:
    h = harness
    await h.ask(USER, "/start", language_code="en")
    changed = await h.ask(USER, "/language ru", language_code="en")
    assert "Теперь я буду писать вам" in changed[-1]["visible_text"]

    status = await h.ask(USER, "/status", language_code="en")
    shown = status[-1]["visible_text"]
    assert "Язык интерфейса: русский" in shown and "Перевод на: английский" in shown, shown
    refused = await h.ask(USER, "/add", language_code="en")
    assert refused[-1]["visible_text"].startswith("Использование: /add")

    # without a code, the choices come as buttons; choosing one answers in that language
    picker = (await h.ask(USER, "/language", language_code="en", expect=lambda m: bool(buttons(m))))[-1]
    assert [caption for caption, _ in buttons(picker)][:4] == ["العربية", "Türkçe", "✓ Русский", "English"]
    answer = await press(h, USER, picker, button(picker, "Türkçe"), language_code="en")
    assert answer == "Kaydedildi."
    assert "Ayarlar" in current(h, picker)["visible_text"], "the menu is redrawn in Turkish"
    helped = await h.ask(USER, "/help", language_code="en")
    assert helped[-1]["visible_text"].startswith("İdlib ve Suriye'nin")

    # admins' replies are translated too
    await h.ask(ADMIN, "/start", language_code="tr")
    usage = await h.ask(ADMIN, "/addfeed", language_code="tr")
    assert usage[-1]["visible_text"].startswith("Kullanım: /addfeed")


async def test_description_and_short_description_are_registered_in_every_language(harness: Harness) -> None:
    h = harness

    def registered(method: str) -> dict[str, str]:
        field = "description" if method == "setMyDescription" else "short_description"
        return {str(call.get("language_code") or ""): str(call[field]) for call in h.api.calls_to(method)}

    await h.app.wait_until(lambda: len(registered("setMyShortDescription")) == 4, WAIT,
                           "setMyDescription and setMyShortDescription in en, ar, tr, ru")
    descriptions, short = registered("setMyDescription"), registered("setMyShortDescription")
    assert set(descriptions) == set(short) == {"", "ar", "tr", "ru"}
    assert descriptions[""].startswith("I watch Arabic, Turkish, Russian and English news")
    assert "إدلب" in descriptions["ar"] and "İdlib" in descriptions["tr"] and "Идлиб" in descriptions["ru"]
    assert all(len(text) <= 120 for text in short.values())
