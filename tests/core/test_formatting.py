"""Alert rendering: escaped feed text, the parts a subscriber needs, and Telegram's length limit."""

from __future__ import annotations

from bot.core.formatting import TELEGRAM_LIMIT, AlertContent, html_to_plain, render_alert, shorten


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
