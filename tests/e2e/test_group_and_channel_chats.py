"""End-to-end: alerts to groups and channels (issue 17), the real application against the fake Bot API.

Groups: only administrators (asked with getChatMember at the time) subscribe the group or change it,
members may read; commands for other bots are ignored; a forum group picks the topic that receives
alerts; removing the bot ends the subscription; a group that becomes a supergroup keeps it. Channels:
/connect @channel from a private chat checks that the user and the bot administer the channel, alerts
are posted there with link buttons only, and /channels edits or disconnects it.
"""

from __future__ import annotations

from collections.abc import Callable

import in_process
import pytest
from fakes import FeedItem
from interface_support import Message, button, buttons, current, press, unmarked
from test_end_to_end import USER, WAIT, Harness, link

pytestmark = pytest.mark.e2e
harness = in_process.harness  # the real application in this process against the fakes (a fixture)

BOT = "fake_alert_bot"
GROUP = -500
CHIEF = 2001  # an administrator of the group and of the channel
MEMBER = 2002  # an ordinary member


async def say(h: Harness, chat_id: int, user_id: int, text: str, *, expect: Callable[[Message], bool] | None = None,
              thread_id: int | None = None) -> list[Message]:
    """`user_id` writes `text` in group `chat_id`; returns what the bot posted there since (waiting for it)."""
    since = len(h.inbox(chat_id))
    h.api.member_sends(chat_id, user_id, text, thread_id=thread_id)
    await h.app.wait_until(lambda: any((expect or bool)(m) for m in h.inbox(chat_id)[since:]), WAIT,
                           f"a reply to {text!r} in chat {chat_id}; got {h.texts(chat_id, since)}")
    return h.inbox(chat_id)[since:]


def replied(text: str) -> Callable[[Message], bool]:
    return lambda message: text in unmarked(message["visible_text"])


def idlib_item(slug: str) -> tuple[FeedItem, str]:
    url = link("en", slug)
    return FeedItem(f"Shelling reported near Idlib ({slug})", url), url


async def test_group_admin_subscribes_and_members_only_read(harness: Harness) -> None:
    h = harness
    h.api.chats.add_group(GROUP, "Newsroom")
    h.api.chats.set_member(GROUP, CHIEF, "administrator")
    h.api.chats.set_member(GROUP, MEMBER, "member")

    refused = await say(h, GROUP, MEMBER, f"/start@{BOT}")
    assert "Only the group's administrators" in unmarked(refused[-1]["visible_text"])
    assert (await h.ask(USER, "/status"))[-1]  # a positive control: the bot is answering
    assert (await say(h, GROUP, CHIEF, f"/start@{BOT}", expect=replied("Subscribed")))
    await say(h, GROUP, MEMBER, f"/add@{BOT} Saraqib", expect=replied("Only the group's administrators"))
    listing = await say(h, GROUP, MEMBER, f"/keywords@{BOT}", expect=replied("Idlib"))
    assert "Saraqib" not in unmarked(listing[-1]["visible_text"])

    before = len(h.inbox(GROUP))
    h.api.member_sends(GROUP, CHIEF, "/start@some_other_bot")
    h.api.member_sends(GROUP, CHIEF, "/nonsense")
    unknown = await say(h, GROUP, CHIEF, f"/nonsense@{BOT}", expect=replied("Unknown command"))
    assert len(h.inbox(GROUP)) == before + len(unknown) == before + 1  # the other two were not for us

    item, url = idlib_item("group-alert")
    h.publish("en", item)
    await h.wait_for_alerts(GROUP, [url])
    alert = h.alerts_with(GROUP, url)[0]
    assert [data for _, data in buttons(alert)] == [""]  # one link button, none that changes settings
    assert alert["reply_markup"]["inline_keyboard"][0][0]["url"] == url


async def test_group_forum_topic_receives_the_alerts(harness: Harness) -> None:
    h = harness
    forum = -1001500
    h.api.chats.add_group(forum, "Security desk", forum=True)
    h.api.chats.set_member(forum, CHIEF, "creator")
    await say(h, forum, CHIEF, f"/start@{BOT}", expect=replied("Subscribed"))
    await say(h, forum, MEMBER, f"/topic@{BOT}", thread_id=77, expect=replied("Only the group's administrators"))
    answer = await say(h, forum, CHIEF, f"/topic@{BOT}", thread_id=77, expect=replied("this topic"))
    assert answer[-1].get("message_thread_id") == 77

    item, url = idlib_item("forum-alert")
    h.publish("en", item)
    await h.wait_for_alerts(forum, [url])
    assert h.alerts_with(forum, url)[0].get("message_thread_id") == 77


async def test_group_that_removes_the_bot_gets_no_more_alerts(harness: Harness) -> None:
    h = harness
    h.api.chats.add_group(GROUP, "Newsroom")
    h.api.chats.set_member(GROUP, CHIEF, "administrator")
    await say(h, GROUP, CHIEF, f"/start@{BOT}", expect=replied("Subscribed"))
    await h.ask(USER, "/start")

    h.api.bot_membership(GROUP, CHIEF, "kicked")
    await h.app.wait_until(lambda: "removed from chat -500" in h.app.log_text(), WAIT, "the removal to be handled")
    item, url = idlib_item("after-removal")
    h.publish("en", item)
    await h.wait_for_alerts(USER, [url])  # the positive control in the same scan
    await h.settle()
    assert h.alerts_with(GROUP, url) == []

    newcomer = -600
    h.api.chats.add_group(newcomer, "New group")
    h.api.chats.set_member(newcomer, h.api.bot_id, "left")
    h.api.bot_membership(newcomer, CHIEF, "member")
    await h.app.wait_until(lambda: bool(h.inbox(newcomer)), WAIT, "a greeting in the new group")
    assert f"/start@{BOT}" in h.inbox(newcomer)[0]["visible_text"]


async def test_group_migrating_to_a_supergroup_keeps_its_subscription(harness: Harness) -> None:
    h = harness
    old, new = -700, -1000700
    h.api.chats.add_group(old, "Field team")
    h.api.chats.set_member(old, CHIEF, "administrator")
    await say(h, old, CHIEF, f"/start@{BOT}", expect=replied("Subscribed"))
    await say(h, old, CHIEF, f"/add@{BOT} Saraqib", expect=replied("Added"))
    h.api.migrate(old, new)
    h.api.chats.add_group(new, "Field team")
    h.api.chats.set_member(new, MEMBER, "member")

    url = link("en", "saraqib-after-migration")
    h.publish("en", FeedItem("Market reopens in Saraqib", url))
    await h.wait_for_alerts(new, [url])
    listing = await say(h, new, MEMBER, f"/keywords@{BOT}", expect=replied("Saraqib"))
    assert "Idlib" in unmarked(listing[-1]["visible_text"])


async def test_channel_connect_edit_and_disconnect(harness: Harness) -> None:
    h = harness
    channel = -1002000
    h.api.chats.add_channel(channel, "idlib_watch", "Idlib Watch")
    h.api.chats.set_member(channel, CHIEF, "administrator")
    h.api.chats.add_channel(-1002001, "mute_channel", "Mute Channel", bot_can_post=False)
    h.api.chats.set_member(-1002001, CHIEF, "creator")

    for user, text, answer in [
        (CHIEF, "/connect", "Usage: /connect @channel"),
        (CHIEF, "/connect @nobody_there", "I cannot see @nobody_there"),
        (MEMBER, "/connect @idlib_watch", "only an administrator of @idlib_watch"),
        (CHIEF, "/connect https://t.me/mute_channel", "who may post messages"),
        (CHIEF, "/connect @idlib_watch", "Connected “Idlib Watch”"),
    ]:
        reply = await h.ask(user, text)
        assert answer in unmarked(reply[-1]["visible_text"]), (text, reply[-1]["visible_text"])
    await h.ask(USER, "/start")

    item, url = idlib_item("channel-alert")
    h.publish("en", item)
    await h.wait_for_alerts(channel, [url])
    assert [data for _, data in buttons(h.alerts_with(channel, url)[0])] == [""]  # readers cannot mute a channel

    listing = (await h.ask(CHIEF, "/channels", expect=lambda m: bool(buttons(m))))[-1]
    assert "Idlib Watch" in unmarked(listing["visible_text"])
    edit_button = button(listing, "✏")  # the message is edited in place from here on
    assert await press(h, CHIEF, listing, edit_button) == ""
    card = current(h, listing)
    assert "Keywords: Idlib" in unmarked(card["visible_text"])
    assert await press(h, CHIEF, card, button(card, "Arabic")) == "Alerts will be translated into Arabic."
    assert "✓ Arabic" in [unmarked(caption) for caption, _ in buttons(current(h, card))]
    await h.ask(MEMBER, "/channels")
    forged = await press(h, MEMBER, h.inbox(MEMBER)[-1], edit_button)  # someone else's channel
    assert "not connected to you" in forged

    h.api.chats.set_member(channel, CHIEF, "member")  # demoted: settings are checked again at every press
    assert "no longer an administrator" in await press(h, CHIEF, card, button(current(h, card), "Disconnect"))
    h.api.chats.set_member(channel, CHIEF, "administrator")
    disconnected = await press(h, CHIEF, card, button(current(h, card), "Disconnect"))
    assert disconnected == "Disconnected: no more alerts to that channel."
    assert "No channels are connected" in unmarked(current(h, card)["visible_text"])

    item, url = idlib_item("after-disconnect")
    h.publish("en", item)
    await h.wait_for_alerts(USER, [url])
    await h.settle()
    assert h.alerts_with(channel, url) == []


async def test_channel_keywords_are_changed_from_the_private_chat(harness: Harness) -> None:
    h = harness
    channel = -1002000
    h.api.chats.add_channel(channel, "idlib_watch", "Idlib Watch")
    h.api.chats.set_member(channel, CHIEF, "administrator")
    await h.ask(CHIEF, "/connect @idlib_watch", expect=replied("Connected"))
    await h.ask(CHIEF, "/start")

    added = await h.ask(CHIEF, "/add @idlib_watch Saraqib")
    assert "Added to “Idlib Watch”" in unmarked(added[-1]["visible_text"]) and "سراقب" in added[-1]["visible_text"]
    refused = await h.ask(MEMBER, "/add @idlib_watch Ariha")
    assert "not connected to you" in unmarked(refused[-1]["visible_text"])
    usage = await h.ask(CHIEF, "/add @idlib_watch")
    assert "Usage: /add @channel <term>" in unmarked(usage[-1]["visible_text"])
    listing = await h.ask(CHIEF, "/keywords @idlib_watch")
    assert "Idlib Watch" in unmarked(listing[-1]["visible_text"]) and "Saraqib" in listing[-1]["visible_text"]
    mine = await h.ask(CHIEF, "/keywords")
    assert "Saraqib" not in mine[-1]["visible_text"]  # the user's own subscription is untouched

    url = link("en", "saraqib-for-the-channel")
    h.publish("en", FeedItem("Market reopens in Saraqib", url))
    await h.wait_for_alerts(channel, [url])
    assert h.alerts_with(CHIEF, url) == []

    removed = await h.ask(CHIEF, "/remove @idlib_watch Saraqib")
    assert "Removed “Saraqib” from “Idlib Watch”." in unmarked(removed[-1]["visible_text"])
