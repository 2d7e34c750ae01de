"""Right-to-left layout helpers: marks and isolates that keep Arabic lines readable in Telegram."""

from __future__ import annotations

from bot.core.interface.bidi import (
    FSI,
    LRI,
    PDI,
    RLM,
    direction_problems,
    exposed_ltr,
    first_strong,
    is_rtl,
    isolate,
    isolate_ltr,
    rtl_lines,
)


def test_only_arabic_is_right_to_left() -> None:
    assert is_rtl("ar")
    assert not any(is_rtl(lang) for lang in ("en", "tr", "ru", ""))


def test_isolates_wrap_text_and_leave_empty_text_alone() -> None:
    assert isolate("M4") == f"{FSI}M4{PDI}"
    assert isolate_ltr("/add") == f"{LRI}/add{PDI}"
    assert isolate("") == "" and isolate_ltr("") == ""


def test_every_line_starts_right_to_left_and_commands_stay_whole() -> None:
    text = "/add <كلمة>: متابعة كلمة\nأرسل /start للاشتراك\n\nhttps://x.example/a"
    lines = rtl_lines(text).split("\n")
    assert lines[0] == f"{RLM}{LRI}/add{PDI} <كلمة>: متابعة كلمة"
    assert lines[1] == f"{RLM}أرسل {LRI}/start{PDI} للاشتراك"
    assert lines[2] == "", "empty lines stay empty"
    assert lines[3].startswith(RLM) and f"{LRI}/" not in lines[3], "a slash inside a word is not a command"


def test_layout_is_idempotent_and_skips_what_is_already_isolated() -> None:
    text = f"تمت إزالة «{isolate('/odd name')}» — أرسل /keywords"
    once = rtl_lines(text)
    assert rtl_lines(once) == once
    assert f"{FSI}/odd name{PDI}" in once, "text inside an isolate is left as it is"
    assert once.count(LRI) == 1


def test_closing_html_tags_are_not_commands() -> None:
    assert rtl_lines("<b>عنوان</b> <i>نص</i>") == f"{RLM}<b>عنوان</b> <i>نص</i>"


def test_exposed_ltr_finds_latin_outside_isolates_and_tags() -> None:
    assert exposed_ltr(f"{RLM}كلماتك: {isolate('Idlib')}") == ""
    assert exposed_ltr(f"{RLM}كلماتك: Idlib") == "Idlib"
    link = isolate_ltr('<a href="https://x">https://x</a>')
    assert exposed_ltr(f"{RLM}{link}") == ""
    assert exposed_ltr(f"{FSI}a{LRI}b{PDI}c{PDI}d") == "d", "nested isolates are removed from the inside out"


def test_first_strong_decides_the_line_direction() -> None:
    assert first_strong("Idlib إدلب") == "L"
    assert first_strong(f"{RLM}Idlib") == "R"
    assert first_strong(f"{isolate('Idlib')} إدلب") == "AL", "isolated text does not decide"
    assert first_strong("123 …") is None


def test_direction_problems_name_the_bad_lines() -> None:
    good = rtl_lines(f"أرسل /start\nكلماتك: {isolate('Idlib')}")
    assert direction_problems(good) == []
    problems = direction_problems("Idlib أولًا\n" + RLM + "طريق M4")
    assert len(problems) == 2 and "starts left to right" in problems[0] and "'M'" in problems[1]
    assert direction_problems(RLM + "طريق M4", allowed="M") == []
