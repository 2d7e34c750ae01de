"""Alert rendering: escaped feed text, the parts a subscriber needs, and Telegram's length limit."""

from __future__ import annotations

from bot.core.interface.bidi import FSI, LRI, PDI, RLM, exposed_ltr, first_strong
from bot.core.interface.formatting import TELEGRAM_LIMIT, AlertContent, html_to_plain, render_alert, shorten
from bot.core.interface.i18n import Texts


def alert(**changes: object) -> AlertContent:
    base: dict[str, object] = dict(
        source="Enab Baladi", lang="ar", title="قصف على إدلب", summary="تفاصيل", link="https://e.example/a?b=1&c=2",
        keyword="Idlib", quotes=("إدلب",), target="en", translated_title="Shelling on Idlib",
        translated_summary="Details",
    )
    base.update(changes)
    return AlertContent(**base)  # type: ignore[arg-type]


def test_alert_has_link_source_original_and_translation() -> None:
    text = render_alert(alert())
    plain = html_to_plain(text)
    assert "https://e.example/a?b=1&c=2" in plain
    assert "Enab Baladi" in plain and "قصف على إدلب" in plain and "Shelling on Idlib" in plain
    assert "«إدلب»" in plain and "Idlib" in plain


def test_feed_text_is_escaped() -> None:
    text = render_alert(alert(title="<b>x</b> & <script>", translated_title=None, lang="en", target="en"))
    assert "<script>" not in text
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in text


def test_failed_translation_is_said() -> None:
    text = render_alert(alert(translated_title=None, translated_summary=None, translation_failed=True))
    assert "unavailable" in text
    assert "قصف على إدلب" in text


def test_same_language_has_no_translation_block() -> None:
    text = render_alert(alert(lang="en", target="en", title="Idlib news", translated_title=None))
    assert "Original" not in text and "unavailable" not in text


def test_huge_feed_text_stays_under_the_limit() -> None:
    text = render_alert(alert(title="A" * 50_000, summary="<&>" * 50_000, translated_title="B" * 50_000,
                              translated_summary="C" * 50_000, link="https://e.example/" + "x" * 9000,
                              quotes=("q" * 5000,) * 10))
    assert len(text) <= TELEGRAM_LIMIT


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("one two three four five", 16) == "one two three…"
    assert shorten("short", 12) == "short"


class Dictionary:
    """A stand-in catalogue: translates from a dict, English otherwise."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def gettext(self, message: str, /) -> str:
        return self.texts.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self.texts.get(singular if n == 1 else plural, singular if n == 1 else plural)


ARABIC_LABELS = Dictionary({"Original ({language}):": "الأصل ({language}):", "Matched: {quotes}": "مطابقة: {quotes}",
                            "English": "الإنجليزية", "Arabic": "العربية",
                            "Translation to {language} is unavailable right now.": "الترجمة إلى {language} غير متاحة."})


def unmarked(text: str) -> str:
    """The visible text without direction marks and isolates."""
    return html_to_plain(text).translate({ord(mark): None for mark in (RLM, LRI, FSI, PDI)})


def localize(lang: str) -> Texts:
    return Texts(lang, ARABIC_LABELS if lang == "ar" else None)


def test_labels_follow_the_subscribers_language() -> None:
    english = unmarked(render_alert(alert(lang="en", target="ar", title="Shelling near Idlib",
                                               translated_title="قصف قرب إدلب", quotes=("Idlib",)), localize))
    assert "الأصل (الإنجليزية):" in english and "مطابقة:" in english
    assert "Original" not in english and "Matched" not in english
    failed = unmarked(render_alert(alert(lang="en", target="ar", translated_title=None,
                                              translated_summary=None, translation_failed=True), localize))
    assert "الترجمة إلى العربية غير متاحة." in failed


def test_without_catalogues_or_for_english_readers_labels_are_english() -> None:
    assert "Original (Arabic):" in html_to_plain(render_alert(alert()))
    assert "Original (Arabic):" in html_to_plain(render_alert(alert(), localize))


def test_arabic_alert_reads_right_to_left_around_latin_text() -> None:
    text = render_alert(alert(lang="en", target="ar", source="Fake English Wire", title="M4 reopened near Saraqib",
                              summary="Traffic resumed.", keyword="M4 highway (Syria)", quotes=("M4",),
                              translated_title="إعادة فتح M4 قرب سراقب", translated_summary="عادت الحركة."),
                        localize)
    for line in filter(None, text.split("\n")):
        assert first_strong(line) == "R", f"line does not start right to left: {line!r}"
        assert exposed_ltr(line) == "", f"Latin text outside an isolate in {line!r}"
    assert f"«{FSI}M4{PDI}»" in text
    assert RLM + LRI + '<a href="https://e.example/a?b=1&amp;c=2">' in text


def test_english_alerts_carry_no_direction_marks() -> None:
    text = render_alert(alert(lang="ar", target="en"), localize)
    assert not set(text) & {RLM, LRI, FSI, PDI}
