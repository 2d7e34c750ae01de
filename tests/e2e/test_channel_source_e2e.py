"""End-to-end: a public Telegram channel as a source (issue 17), read from a fake preview server on 127.0.0.1.

An admin adds the channel with /addfeed @name; a new post in Arabic reaches a subscriber as an alert
whose title is the post's first line and whose link is the post's t.me address; a private channel is
refused with the reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import test_end_to_end
from fakes.channel_preview import FakeChannelPreview, FakePost
from interface_support import unmarked
from test_end_to_end import ADMIN, USER, Harness

pytestmark = pytest.mark.e2e
harness = test_end_to_end.harness  # the running bot against the fakes (a fixture)


@pytest.fixture
async def preview() -> AsyncIterator[FakeChannelPreview]:
    async with FakeChannelPreview() as server:
        yield server


@pytest.fixture
def extra_settings(preview: FakeChannelPreview) -> dict[str, str]:
    return {"TELEGRAM_PREVIEW_URL": preview.base_url}


async def test_channel_added_with_addfeed_alerts_its_new_posts(harness: Harness, preview: FakeChannelPreview) -> None:
    h = harness
    now = datetime.now(UTC)
    preview.set_channel("idlib_agency", [FakePost(40, "نشرة الطقس", now)], title="Idlib Agency")
    preview.set_private("secret_room", "Secret Room")
    await h.ask(USER, "/start")

    refused = await h.ask(ADMIN, "/addfeed @secret_room ar")
    assert "no public preview" in unmarked(refused[-1]["visible_text"])
    added = await h.ask(ADMIN, "/addfeed @idlib_agency ar Idlib Agency")
    assert "Added “Idlib Agency” (1 items now)" in unmarked(added[-1]["visible_text"])
    await h.app.wait_until(lambda: preview.requests.count("/s/idlib_agency") >= 2, 15, "a scan of the channel")

    preview.add_posts("idlib_agency", [FakePost(41, "قصف مدفعي على ريف إدلب الجنوبي\nأفاد مراسلنا بسقوط جرحى.", now,
                                                photos=2)])
    await h.wait_for_alerts(USER, ["https://t.me/idlib_agency/41"])
    alert = h.alerts_with(USER, "https://t.me/idlib_agency/41")[0]
    assert "قصف مدفعي على ريف إدلب الجنوبي" in alert["visible_text"] and "Idlib Agency" in alert["visible_text"]
    assert h.alerts_with(USER, "https://t.me/idlib_agency/40") == []  # the old, off-topic post

    health = await h.ask(ADMIN, "/feeds", expect=lambda m: "Idlib Agency" in m["visible_text"])
    assert "Idlib Agency" in health[-1]["visible_text"]
