"""Tests for bot.adapters.feeds.channel_preview: hostile or odd preview pages never crash and never invent posts."""

from __future__ import annotations

import pytest

from bot.adapters.feeds.channel_preview import PageKind, parse_preview
from bot.errors import FeedParseError

HISTORY = '<html><body><section class="tgme_channel_history">{}</section></body></html>'


def page(inner: str) -> bytes:
    return HISTORY.format(inner).encode()


def test_channel_preview_empty_body_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError):
        parse_preview(b"")


@pytest.mark.parametrize("body", [b"\x00\xff\xfe garbage \x89PNG", b"<rss><channel></channel></rss>",
                                  b"<html><body><p>tgme_channel_history</p></body></html>"])
def test_channel_preview_that_is_not_a_preview_reads_as_no_channel(body: bytes) -> None:
    assert parse_preview(body).kind is PageKind.NOT_FOUND


def test_channel_preview_keeps_only_well_formed_posts() -> None:
    body = page(
        '<div class="tgme_widget_message" data-post="agency/x1"><div class="tgme_widget_message_text">no id</div></div>'
        '<div class="tgme_widget_message" data-post="agency"><div class="tgme_widget_message_text">no slash</div></div>'
        '<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="agency/9">'
        '<div class="tgme_widget_message_text">Kept<br>second line &amp; more</div>'
        '<a class="tgme_widget_message_date"><time datetime="not a date"></time></a></div></div>'
        '<a class="tme_messages_more" data-before="abc"></a>')

    parsed = parse_preview(body)

    assert [(p.post_id, p.text, p.published_at) for p in parsed.posts] == [(9, "Kept\nsecond line & more", None)]
    assert parsed.before is None


def test_channel_preview_script_text_is_not_markup() -> None:
    body = page('<script>document.write("<div class=\\"tgme_widget_message\\" data-post=\\"a/1\\">x</div>")</script>')
    assert parse_preview(body).posts == []


def test_channel_preview_post_text_is_capped() -> None:
    body = page(f'<div class="tgme_widget_message" data-post="a/1"><div class="tgme_widget_message_text">'
                f'{"x" * 50_000}</div></div>')
    assert len(parse_preview(body).posts[0].text) == 5_000
