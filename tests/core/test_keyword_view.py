"""How keywords are shown: /keywords, /add and the /test explanation, in left- and right-to-left languages.

The Arabic case uses the shipped catalogue, so it checks the real labels as well as the layout.
"""

from __future__ import annotations

from bot.core.interface.bidi import FSI, PDI, exposed_ltr, first_strong
from bot.core.interface.i18n import Texts
from bot.core.matching.keyword_view import describe_concept, explain, explanation_text, keywords_text
from bot.core.models import Concept, SentenceVeto
from bot.i18n import Catalogues

IDLIB = Concept(key="idlib", label="Idlib", terms={"en": ("Idlib", "Idleb"), "ar": ("إدلب",), "ru": ("Идлиб",)})
M4 = Concept(key="m4", label="M4 highway", ambiguous={"en": ("M4",)}, context={"en": ("Syria", "Saraqib")},
             vetoes={"en": ("Apple",)})
ENGLISH = Texts("en")


def test_description_lists_spellings_per_language_context_and_exclusions() -> None:
    text = describe_concept(M4, ENGLISH)
    assert text.splitlines() == ["M4 highway", "  English: M4", "  needs one of: Syria, Saraqib",
                                 "  except with: Apple"]


def test_keyword_list_in_arabic_layout_isolates_every_spelling() -> None:
    text = keywords_text([IDLIB, M4], Catalogues.load().texts("ar"))
    assert "كلماتك المفتاحية:" in text and "الروسية: " in text
    assert f"{FSI}Idleb{PDI}" in text and f"{FSI}Идлиб{PDI}" in text
    for line in filter(None, text.split("\n")):
        assert first_strong(line) == "R" and exposed_ltr(line) == "", repr(line)


def test_long_lists_are_cut() -> None:
    many = [Concept(key=f"k{n}", label=f"keyword {n}", terms={"en": (f"word{n}",)}) for n in range(400)]
    assert len(keywords_text(many, ENGLISH)) <= 4000


def test_explanation_quotes_the_words_and_the_context_when_needed() -> None:
    found = explain([IDLIB, M4], "Shelling on the M4 near Saraqib, Idleb province", "en")
    assert [(e.label, e.quotes, e.context) for e in found] == [("Idlib", ("Idleb",), ()),
                                                               ("M4 highway", ("M4",), (("Saraqib", 1),))]
    text = explanation_text(found, ENGLISH)
    assert text.splitlines() == ["Would match:", "• Idlib: matched «Idleb»",
                                 "• M4 highway: matched «M4» with context «Saraqib» +1"]


def test_no_match_says_so() -> None:
    assert explanation_text(explain([IDLIB], "Apple M4 chip", "en"), ENGLISH) == (
        "None of your keywords matches this text.")


def test_a_dropped_mention_shows_the_weighing() -> None:
    text = explanation_text(explain([M4], "Apple M4 chip sold in Syria", "en"), ENGLISH)
    assert text.splitlines() == [
        "None of your keywords matches this text.", "Found, but not matched:",
        "• M4 highway: found «M4», but the context does not outweigh the vetoes",
        "  for: «Syria» +1 = 1", "  against: «Apple» −1 = 1"]


def test_a_match_against_vetoes_shows_both_sides() -> None:
    text = explanation_text(explain([M4], "Saraqib: the M4 in Syria reopens, Apple says", "en"), ENGLISH)
    assert text.splitlines()[1:] == ["• M4 highway: matched «M4» with context «Saraqib» +1, «Syria» +1",
                                     "  for: «Saraqib» +1, «Syria» +1 = 2", "  against: «Apple» −1 = 1"]


def test_a_mention_cancelled_by_another_road_says_so() -> None:
    road = Concept(key="r", label="coast road", ambiguous={"en": ("the coast road",)}, context={"en": ("Velmor",)},
                   sentence_vetoes=(SentenceVeto((), {"en": ("R7",)}),))
    text = explanation_text(explain([road], "The coast road (R7) near Velmor is closed", "en"), ENGLISH)
    assert text.splitlines()[2:] == [
        "• coast road: found «The coast road», but each mention names something else",
        "  for: «Velmor» +1 = 1", "  against: — = 0",
        "  «The coast road» does not count: «R7» in the same sentence names something else"]
