"""A fake of Telegram's public channel previews (t.me/s/<name>) on 127.0.0.1, with paging.

``set_channel(name, posts)`` publishes a channel; ``add_posts`` publishes newer posts, ``delete_post``
removes one, ``edit_post`` changes a post's text and marks it edited. ``GET /s/<name>`` answers the
newest `page_size` posts, ``?before=<id>`` the ones older than that id, each page with a "before" link
while older posts remain. A private channel (``set_private``) and an unknown name redirect to
``/<name>``, a contact page with and without a title, as t.me does. Every request's path and query is
recorded in ``requests``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from aiohttp import web

from fakes._server import LoopbackServer
from fakes.preview_html import FakePost, render_channel_page, render_contact_page

__all__ = ["FakeChannelPreview", "FakePost"]


@dataclass
class _Channel:
    title: str
    posts: dict[int, FakePost] = field(default_factory=dict)


class FakeChannelPreview(LoopbackServer):
    """Serves channel preview pages and records every request."""

    def __init__(self, page_size: int = 20) -> None:
        super().__init__()
        self.page_size = page_size
        self.requests: list[str] = []
        self._channels: dict[str, _Channel] = {}
        self._private: dict[str, str] = {}

    def set_channel(self, name: str, posts: Sequence[FakePost], title: str | None = None) -> None:
        self._channels[name.lower()] = _Channel(title or name, {post.post_id: post for post in posts})

    def add_posts(self, name: str, posts: Sequence[FakePost]) -> None:
        self._channels[name.lower()].posts.update({post.post_id: post for post in posts})

    def delete_post(self, name: str, post_id: int) -> None:
        del self._channels[name.lower()].posts[post_id]

    def edit_post(self, name: str, post_id: int, text: str) -> None:
        posts = self._channels[name.lower()].posts
        posts[post_id] = replace(posts[post_id], text=text, edited=True)

    def set_private(self, name: str, title: str) -> None:
        self._private[name.lower()] = title

    def _setup(self, app: web.Application) -> None:
        app.router.add_get("/s/{name}", self._preview)
        app.router.add_get("/{name}", self._contact)

    async def _preview(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        self._schedule_notify()
        name = request.match_info["name"]
        channel = self._channels.get(name.lower())
        if channel is None:
            raise web.HTTPFound(f"/{name}")
        before = request.query.get("before", "")
        older = sorted((p for p in channel.posts.values() if not before.isdigit() or p.post_id < int(before)),
                       key=lambda post: post.post_id)
        page = older[-self.page_size:]
        link = page[0].post_id if page and len(older) > len(page) else None
        body = render_channel_page(name, channel.title, page, link)
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    async def _contact(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        title = self._private.get(request.match_info["name"].lower())
        return web.Response(text=render_contact_page(title), content_type="text/html", charset="utf-8")
