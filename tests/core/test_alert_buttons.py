"""The buttons under an alert: what they say and the callback data they carry."""

from __future__ import annotations

from bot.core.interface import callbacks
from bot.core.interface.alert_buttons import alert_keyboard
from bot.core.interface.i18n import Texts


def test_translated_alert_offers_open_original_and_mutes() -> None:
    rows = alert_keyboard(42, link="https://x.example/a", source="Wire", translated=True, t=Texts("en"))
    flat = [b for row in rows for b in row]
    assert [b.caption for b in flat] == ["🔗 Open", "📄 Original", "🔕 Keyword 24 h", "🔕 Wire 24 h"]
    assert flat[0].url == "https://x.example/a" and flat[0].data is None
    parsed = [callbacks.parse(b.data) for b in flat[1:]]
    assert [(p.action, p.number) for p in parsed if p] == [
        (callbacks.SHOW_ORIGINAL, 42), (callbacks.MUTE_KEYWORD, 42), (callbacks.MUTE_SOURCE, 42)]


def test_original_view_offers_the_translation_back() -> None:
    rows = alert_keyboard(7, link=None, source="Wire", translated=True, t=Texts("en"), showing_original=True)
    assert [b.caption for b in rows[0]] == ["🌐 Translation"]


def test_untranslated_alert_without_a_web_link_has_only_mutes() -> None:
    rows = alert_keyboard(7, link="javascript:alert(1)", source="A very long source name indeed, really",
                          translated=False, t=Texts("en"))
    assert len(rows) == 1 and all(b.data for b in rows[0])
    assert all(len(b.data.encode()) <= 64 for b in rows[0] if b.data)
