"""Groups and channels as subscribers (bot.services.chats) on real SQLite with a recording fake of Telegram's
answers about chats; and what the sender does for them (forum topic, link-only buttons)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_fakes import IDLIB, FakeClock, FakeMonotonic, FakeSender, outbox_rows

from bot.adapters.storage.database import Storage
from bot.core.models import ChatInfo, Delivery, FeedConfig, ParsedEntry
from bot.errors import MembershipUnknown, TopicGone, UserError
from bot.services.chats import ChatService
from bot.services.delivery import DeliveryService
from bot.services.delivery_modes import DeliveryModes

GROUP, CHANNEL, OWNER, STRANGER = -500, -1002000, 31, 32


class FakeMembers:
    """Telegram's answers: `admins[chat]` administer it, `postable` chats let the bot post; records questions."""

    def __init__(self) -> None:
        self.admins: dict[int, set[int]] = {GROUP: {OWNER}, CHANNEL: {OWNER}}
        self.postable = {CHANNEL}
        self.chats = {"idlib_watch": ChatInfo(CHANNEL, "channel", "Idlib Watch", "idlib_watch"),
                      "newsroom": ChatInfo(GROUP, "supergroup", "Newsroom", "newsroom")}
        self.asked: list[tuple[str, int, int]] = []
        self.down = False

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        self.asked.append(("is_admin", chat_id, user_id))
        if self.down:
            raise MembershipUnknown("timed out")
        return user_id in self.admins.get(chat_id, set())

    async def bot_can_post(self, chat_id: int) -> bool:
        self.asked.append(("bot_can_post", chat_id, 0))
        return chat_id in self.postable

    async def find_chat(self, username: str) -> ChatInfo | None:
        return self.chats.get(username.lower())


@pytest.fixture
def members() -> FakeMembers:
    return FakeMembers()


@pytest.fixture
def chats(storage: Storage, members: FakeMembers, clock: FakeClock) -> ChatService:
    return ChatService(storage, members, [IDLIB], clock)


async def test_group_management_is_for_its_administrators_asked_each_time(chats: ChatService,
                                                                          members: FakeMembers) -> None:
    assert await chats.may_manage(OWNER, "private", OWNER)
    assert await chats.may_manage(GROUP, "supergroup", OWNER)
    assert not await chats.may_manage(GROUP, "supergroup", STRANGER)
    assert await chats.may_manage(GROUP, "supergroup", None, sender_chat_id=GROUP)  # an anonymous administrator
    assert not await chats.may_manage(GROUP, "supergroup", None, sender_chat_id=-999)  # another channel's post
    members.admins[GROUP].discard(OWNER)
    assert not await chats.may_manage(GROUP, "supergroup", OWNER)  # demoted: no cache
    members.down = True
    with pytest.raises(MembershipUnknown):
        await chats.may_manage(GROUP, "supergroup", OWNER)
    asked = [(chat, user) for question, chat, user in members.asked if question == "is_admin"]
    assert asked == [(GROUP, OWNER), (GROUP, STRANGER), (GROUP, OWNER), (GROUP, OWNER)]


@pytest.mark.parametrize(("user", "handle", "reason"), [
    (OWNER, "idlib watch", "public name"), (OWNER, "@nobody_here", "cannot see"), (OWNER, "@newsroom", "not a channel"),
    (STRANGER, "@idlib_watch", "only an administrator"),
])
async def test_channel_connect_refusals_change_nothing(chats: ChatService, storage: Storage, user: int, handle: str,
                                                       reason: str) -> None:
    with pytest.raises(UserError, match=reason):
        await chats.connect(user, handle, "ar")
    assert await storage.get_subscriber(CHANNEL) is None


async def test_channel_where_the_bot_cannot_post_is_refused(chats: ChatService, members: FakeMembers) -> None:
    members.postable.clear()
    with pytest.raises(UserError, match="who may post messages"):
        await chats.connect(OWNER, "https://t.me/idlib_watch", "ar")


async def test_channel_connect_edit_and_disconnect(chats: ChatService, storage: Storage, members: FakeMembers) -> None:
    info, created = await chats.connect(OWNER, "@Idlib_Watch", "ar")
    _, created_again = await chats.connect(OWNER, "@idlib_watch", "ar")

    assert (info.id, created, created_again) == (CHANNEL, True, False)
    channel = await storage.get_subscriber(CHANNEL)
    assert channel is not None and (channel.chat_type, channel.owner_id, channel.title, channel.language) == (
        "channel", OWNER, "Idlib Watch", "ar")
    assert [c.key for c in await storage.keywords(CHANNEL)] == ["idlib"]
    assert [c.chat_id for c in await chats.channels(OWNER)] == [CHANNEL] and await chats.channels(STRANGER) == []

    await chats.set_channel_language(OWNER, CHANNEL, "tr")
    with pytest.raises(UserError, match="not connected to you"):
        await chats.set_channel_language(STRANGER, CHANNEL, "en")
    members.admins[CHANNEL].discard(OWNER)
    with pytest.raises(UserError, match="no longer an administrator"):
        await chats.disconnect(OWNER, CHANNEL)
    members.admins[CHANNEL].add(OWNER)
    await chats.disconnect(OWNER, CHANNEL)

    gone = await storage.get_subscriber(CHANNEL)
    assert gone is not None and (gone.active, gone.language) == (False, "tr") and await chats.channels(OWNER) == []


async def test_group_topic_and_removal(chats: ChatService, storage: Storage, clock: FakeClock) -> None:
    assert not await chats.set_topic(GROUP, 7)  # not subscribed
    assert await storage.subscribe(GROUP, "en", [IDLIB], clock(), chat_type="supergroup", title="Newsroom")
    assert await chats.set_topic(GROUP, 7)
    group = await storage.get_subscriber(GROUP)
    assert group is not None and (group.thread_id, group.chat_type) == (7, "supergroup")

    await chats.removed(GROUP)

    removed = await storage.get_subscriber(GROUP)
    assert removed is not None and not removed.active
    assert not await chats.set_topic(GROUP, None)


async def test_group_alerts_go_to_the_topic_with_link_buttons_only(storage: Storage, clock: FakeClock,
                                                                   monotonic: FakeMonotonic) -> None:
    sender = FakeSender(monotonic)
    now = clock()
    await storage.subscribe(GROUP, "en", [IDLIB], now, chat_type="supergroup")
    await storage.set_topic(GROUP, 7, now)
    await storage.subscribe(OWNER, "en", [IDLIB], now)
    feed = await storage.add_feed(FeedConfig("Wire", "https://wire.example/rss", "en"), now)
    entry = ParsedEntry(identity="a", title="Shelling near Idlib", summary="", link="https://wire.example/a", lang="en")
    await storage.store_fetch_result(feed.id, entries=[entry], etag=None, last_modified=None, now=now,
                                     next_check_at=now + timedelta(hours=1),
                                     deliveries={"a": [Delivery(GROUP, "🔔 Idlib", "idlib"),
                                                       Delivery(OWNER, "🔔 Idlib", "idlib")]})
    delivery = DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep,
                               modes=DeliveryModes(storage))

    await delivery.drain()

    sent = {message.chat_id: message for message in sender.sent}
    assert (sent[GROUP].thread_id, sent[OWNER].thread_id) == (7, None)
    assert [[b.url for b in row] for row in sent[GROUP].buttons] == [["https://wire.example/a"]]
    assert any(b.data for row in sent[OWNER].buttons for b in row)  # a private chat keeps its mute buttons
    assert {row["status"] for row in await outbox_rows(storage)} == {"sent"}


async def test_group_migration_keeps_topic_and_becomes_a_supergroup(storage: Storage, clock: FakeClock) -> None:
    await storage.subscribe(-42, "ru", [IDLIB], clock(), chat_type="group", title="Team")
    await storage.set_topic(-42, None, clock())

    assert await storage.migrate_chat(-42, -10042, clock())

    moved = await storage.get_subscriber(-10042)
    assert moved is not None and (moved.chat_type, moved.title, moved.language, moved.active) == (
        "supergroup", "Team", "ru", True)
    assert await storage.get_subscriber(-42) is None


async def test_channel_named_for_keyword_commands(chats: ChatService, members: FakeMembers) -> None:
    await chats.connect(OWNER, "@idlib_watch", "en")

    assert (await chats.channel_named(OWNER, "@IDLIB_WATCH")).chat_id == CHANNEL
    for owner, handle in [(STRANGER, "@idlib_watch"), (OWNER, "@nobody_here"), (OWNER, "@newsroom"), (OWNER, "@")]:
        with pytest.raises(UserError, match="not connected to you"):
            await chats.channel_named(owner, handle)


async def test_group_whose_topic_is_gone_gets_alerts_in_the_main_chat(storage: Storage, clock: FakeClock,
                                                                     monotonic: FakeMonotonic) -> None:
    sender = FakeSender(monotonic)
    sender.script[GROUP] = [TopicGone("Bad Request: message thread not found")]
    now = clock()
    await storage.subscribe(GROUP, "en", [IDLIB], now, chat_type="supergroup")
    await storage.set_topic(GROUP, 7, now)
    feed = await storage.add_feed(FeedConfig("Wire", "https://wire.example/rss", "en"), now)
    entry = ParsedEntry(identity="a", title="Shelling near Idlib", summary="", link="https://wire.example/a", lang="en")
    await storage.store_fetch_result(feed.id, entries=[entry], etag=None, last_modified=None, now=now,
                                     next_check_at=now + timedelta(hours=1),
                                     deliveries={"a": [Delivery(GROUP, "🔔 Idlib", "idlib")]})
    delivery = DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep,
                               modes=DeliveryModes(storage))

    await delivery.drain()

    assert [(m.chat_id, m.thread_id) for m in sender.attempts] == [(GROUP, 7), (GROUP, None)]
    assert [m.thread_id for m in sender.sent] == [None]
    group = await storage.get_subscriber(GROUP)
    assert group is not None and group.thread_id is None  # later alerts go straight to the main chat
    assert {row["status"] for row in await outbox_rows(storage)} == {"sent"}
