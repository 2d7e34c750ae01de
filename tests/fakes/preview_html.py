"""HTML that looks like Telegram's public channel preview (t.me/s/<name>), written for our tests.

The markup follows the class names of the real pages (tgme_channel_history, tgme_widget_message with
data-post, tgme_widget_message_text, tgme_widget_message_forwarded_from_name, tgme_widget_message_date
with a <time datetime>, a meta line saying "edited", photo wraps and grouped albums, the
tme_messages_more link with data-before), plus the decoration around them a parser must ignore (views,
emoji, link previews, quoted replies).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass
class FakePost:
    """One post; `photos` > 1 renders an album, `reply_to` a quoted reply that is not this post's text,
    `emoji` starts the text with an emoji image as Telegram draws them."""

    post_id: int
    text: str
    date: datetime
    forwarded_from: str | None = None
    edited: bool = False
    photos: int = 0
    reply_to: str | None = None
    emoji: bool = False


def _text_html(text: str) -> str:
    return "<br/>".join(html.escape(line) for line in text.split("\n"))


def _media(post: FakePost, channel: str) -> str:
    if post.photos == 0:
        return ""
    photos = "".join(
        f'<a class="tgme_widget_message_photo_wrap" href="https://t.me/{channel}/{post.post_id}?single" '
        f'style="background-image:url(\'https://cdn.example/p{post.post_id}_{n}.jpg\')"></a>'
        for n in range(post.photos))
    if post.photos > 1:
        return f'<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap">{photos}</div>'
    return photos


def render_post(post: FakePost, channel: str) -> str:
    """One message bubble as the preview shows it."""
    forwarded = "" if post.forwarded_from is None else (
        '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
        f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/src"><span dir="auto">'
        f'{html.escape(post.forwarded_from)}</span></a></div>')
    reply = "" if post.reply_to is None else (
        '<a class="tgme_widget_message_reply" href="#"><div class="tgme_widget_message_author">Earlier</div>'
        f'<div class="tgme_widget_message_text js-message_text">{html.escape(post.reply_to)}</div></a>')
    emoji = '<i class="emoji" style="background-image:url(\'//t.me/e.png\')"><b>🔴</b></i> ' if post.emoji else ""
    text = "" if not post.text else (
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{emoji}{_text_html(post.text)}</div>')
    edited = "edited " if post.edited else ""
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
        f'data-post="{channel}/{post.post_id}" data-view="eyJjIjoxfQ">'
        '<div class="tgme_widget_message_user"><a href="#"><i class="tgme_widget_message_user_photo"></i></a></div>'
        '<div class="tgme_widget_message_bubble">'
        f'<div class="tgme_widget_message_author accent_color"><span dir="auto">{channel}</span></div>'
        f'{forwarded}{reply}{_media(post, channel)}{text}'
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<div class="tgme_widget_message_info short js-message_info">'
        '<span class="tgme_widget_message_views">12.3K</span>'
        f'<span class="copyonly"> views</span><span class="tgme_widget_message_meta">{edited}'
        f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{post.post_id}">'
        f'<time datetime="{post.date.isoformat()}" class="time">{post.date:%H:%M}</time></a></span>'
        '</div></div></div></div></div>')


def render_channel_page(channel: str, title: str, posts: Sequence[FakePost], before: int | None) -> str:
    """A page of the channel's history, oldest first; `before` adds the link to older posts."""
    more = "" if before is None else (
        f'<a href="/s/{channel}?before={before}" class="tme_messages_more js-messages_more" '
        f'data-before="{before}"></a>')
    bubbles = "".join(render_post(post, channel) for post in sorted(posts, key=lambda p: p.post_id))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + html.escape(title) + '</title>'
        '<script>var x = "<div class=\\"tgme_widget_message\\" data-post=\\"fake/1\\">";</script></head>'
        '<body class="widget_frame_base tgme_webpreview_body"><main class="tgme_main">'
        f'<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">'
        f'{html.escape(title)}</span></div></div>'
        '<section class="tgme_channel_history js-message_history">'
        f'{more}{bubbles}</section></main></body></html>')


def render_contact_page(title: str | None) -> str:
    """Where t.me sends a name without a public preview: a title for a private channel, none for no one."""
    heading = "" if title is None else (
        f'<div class="tgme_page_title"><span dir="auto">{html.escape(title)}</span></div>')
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram</title></head><body>'
            f'<div class="tgme_page_wrap"><div class="tgme_page">{heading}'
            '<div class="tgme_page_description">If you have Telegram, you can contact them right away.</div>'
            '</div></div></body></html>')
