"""Every capability the services need from the outside world, as Protocols, in one place.

Ports are named after what they do for a use case, not after the class behind them: the adapters
(bot/adapters/...) fill them, and mypy checks the fit where bot/app.py wires them together. Fakes in
the tests implement the same Protocols and record what they were asked. The edge values that cross
them are defined once in the core (bot.core.models, bot.core.feeds.fetched).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.core.delivery.alert_cap import AlertCap
from bot.core.delivery.late_translation import UntranslatedAlert
from bot.core.delivery.recovery import TakenOver, WorkerRecord
from bot.core.delivery.settlement import Settlement
from bot.core.feeds.check_plan import CheckPlan
from bot.core.feeds.fetched import FetchResult, ParsedFeed
from bot.core.feeds.novelty import KnownEntry
from bot.core.interface.alert_buttons import Keyboard
from bot.core.interface.latest import StoredEntry
from bot.core.models import (
    AlertDetails,
    ChatInfo,
    ChatPreferences,
    Concept,
    Feed,
    FeedConfig,
    OutboxMessage,
    RowContext,
    StoryMessage,
    Subscriber,
    SubscriberKeyword,
)
from bot.core.stories.policy import StoryClustering
from bot.core.stories.story_alert import StoryReport

# --- Feeds: fetching, parsing and what is recorded about them ---------------------------------------


class FeedFetcher(Protocol):
    """Conditional GET of a feed (bot.adapters.feeds.fetcher.Fetcher); failures raise bot.errors.FetchError."""

    async def fetch(self, url: str, etag: str | None = None,
                    last_modified: str | None = None) -> FetchResult: ...


class FeedParser(Protocol):
    """Feed bytes to entries (bot.adapters.feeds.feed_parser.parse_feed); failures raise FeedParseError."""

    def __call__(self, body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed: ...


class ChannelSource(Protocol):
    """Public Telegram channels read like feeds (bot.adapters.feeds.channel_reader.ChannelReader): the cursor
    (newest post id seen) travels as the ETag; failures raise bot.errors.FeedError."""

    def handles(self, url: str) -> bool: ...
    async def read(self, url: str, cursor: str | None) -> tuple[FetchResult, ParsedFeed | None]: ...


class FeedRecords(Protocol):
    """Feeds, their fetch state and health, and the entries seen in them; a check is recorded in one call."""

    async def claim_due_feeds(self, now: datetime, lease: timedelta, limit: int) -> list[Feed]: ...
    async def record_check(self, plan: CheckPlan, clustering: StoryClustering | None = None,
                           cap: AlertCap | None = None) -> int: ...
    async def known_identities(self, feed_id: int, identities: Collection[str]) -> set[str]: ...
    async def known_entries(self, feed_id: int, identities: Collection[str],
                            links: Collection[str]) -> list[KnownEntry]: ...
    async def list_feeds(self) -> list[Feed]: ...
    async def add_feed(self, feed: FeedConfig, now: datetime) -> Feed: ...
    async def remove_feed(self, name_or_url: str) -> bool: ...


class EntryHistory(Protocol):
    """Entries already seen, read back (for /latest)."""

    async def recent_entries(self, since: datetime, limit: int) -> list[StoredEntry]: ...


# --- Subscribers and their preferences --------------------------------------------------------------


class SubscriberRecords(Protocol):
    """Subscribers and their keywords."""

    async def subscribe(self, chat_id: int, language: str, default_keywords: Sequence[Concept],
                        now: datetime, *, chat_type: str = "private", owner_id: int | None = None,
                        title: str | None = None) -> bool: ...
    async def unsubscribe(self, chat_id: int, now: datetime) -> bool: ...
    async def deactivate(self, chat_id: int, reason: str, now: datetime) -> None: ...
    async def get_subscriber(self, chat_id: int) -> Subscriber | None: ...
    async def languages(self, chat_ids: Collection[int]) -> dict[int, str]: ...
    async def set_language(self, chat_id: int, language: str, now: datetime) -> bool: ...
    async def active_keywords(self) -> list[SubscriberKeyword]: ...
    async def keywords_signature(self) -> tuple[int, int, int]: ...
    async def keywords(self, chat_id: int) -> list[Concept]: ...
    async def add_keyword(self, chat_id: int, concept: Concept, now: datetime, limit: int | None = None) -> bool: ...
    async def remove_keyword(self, chat_id: int, key_or_label: str) -> Concept | None: ...
    async def count_keywords(self, chat_id: int) -> int: ...
    async def pending_count(self, chat_id: int | None = None) -> int: ...
    async def stats(self) -> dict[str, int]: ...
    async def set_interface_language(self, chat_id: int, language: str | None, now: datetime) -> bool: ...
    async def keywords_with_ids(self, chat_id: int) -> list[tuple[int, Concept]]: ...
    async def remove_keyword_by_id(self, chat_id: int, keyword_id: int) -> Concept | None: ...


class ChatRecords(Protocol):
    """What groups and channels add to a subscription: the forum topic, and who manages a channel."""

    async def set_topic(self, chat_id: int, thread_id: int | None, now: datetime) -> bool: ...
    async def owned_channels(self, owner_id: int) -> list[Subscriber]: ...


class PreferenceRecords(Protocol):
    """What a chat chose about delivery (quiet hours, digests, urgent keywords, mutes), read and written."""

    async def get_subscriber(self, chat_id: int) -> Subscriber | None: ...
    async def keywords(self, chat_id: int) -> list[Concept]: ...
    async def set_preferences(self, chat_id: int, now: datetime, **values: object) -> bool: ...
    async def set_urgent(self, chat_id: int, key: str, urgent: bool) -> bool: ...
    async def mute(self, chat_id: int, kind: str, value: str, until: datetime, now: datetime) -> None: ...
    async def unmute_all(self, chat_id: int) -> int: ...
    async def delivery_preferences(self, chat_ids: Collection[int], now: datetime) -> dict[int, ChatPreferences]: ...
    async def alert_details(self, outbox_id: int) -> AlertDetails | None: ...


# --- Delivery: the outbox and Telegram --------------------------------------------------------------


class AlertOutbox(Protocol):
    """The queue of alerts waiting for Telegram; what became of a message's rows is recorded in one call."""

    async def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]: ...
    async def settle(self, settlement: Settlement) -> None: ...
    async def postpone(self, outbox_ids: Sequence[int], reason: str, next_attempt_at: datetime) -> None: ...
    async def cancel(self, outbox_ids: Sequence[int], reason: str) -> None: ...
    async def hold_for_digest(self, outbox_ids: Sequence[int], until: datetime) -> None: ...
    async def migrate_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool: ...
    async def set_topic(self, chat_id: int, thread_id: int | None, now: datetime) -> bool: ...


class DeliveryPreferences(Protocol):
    """What the delivery-modes stage reads (preferences, where rows came from, cached translations) and writes."""

    async def delivery_preferences(self, chat_ids: Collection[int], now: datetime) -> dict[int, ChatPreferences]: ...
    async def outbox_context(self, outbox_ids: Collection[int]) -> dict[int, RowContext]: ...
    async def hold_for_digest(self, outbox_ids: Sequence[int], until: datetime) -> None: ...
    async def cancel(self, outbox_ids: Sequence[int], reason: str) -> None: ...
    async def get_translation(self, text: str, source: str, target: str) -> str | None: ...


class StoryDeliveries(Protocol):
    """Each chat's message for a story (bot/adapters/storage/story_store.py) and every report of a story."""

    async def story_messages(self, pairs: Collection[tuple[int, int]]) -> dict[tuple[int, int], StoryMessage]: ...
    async def story_reports(self, story_ids: Collection[int]) -> dict[int, list[StoryReport]]: ...
    async def record_story_alert(self, outbox_ids: Sequence[int], message: StoryMessage, now: datetime) -> None: ...


class UntranslatedAlerts(Protocol):
    """Alerts sent untranslated (every translator failed), kept until an edit adds their translation
    (bot/adapters/storage/late_translation_store.py)."""

    async def untranslated_alerts(self, since: datetime, limit: int) -> list[UntranslatedAlert]: ...
    async def message_rows(self, chat_id: int, message_id: int) -> list[tuple[int, str, bool]]: ...
    async def record_late_translation(self, texts: Mapping[int, str], now: datetime,
                                      story: tuple[StoryMessage, str] | None = None) -> bool: ...
    async def forget_untranslated(self, outbox_ids: Collection[int]) -> None: ...
    async def expire_untranslated(self, before: datetime) -> int: ...


class MessageSender(Protocol):
    """Sends one message to a chat (as a reply to `reply_to`, if given) and returns Telegram's message id;
    edits a message it sent (bot.errors.EditRefused when Telegram will not edit it); failures raise
    bot.errors.SendError."""

    async def send(self, chat_id: int, text: str, *, html: bool = True, silent: bool = False,
                   buttons: Keyboard = (), thread_id: int | None = None, reply_to: int | None = None) -> int | None: ...
    async def edit(self, chat_id: int, message_id: int, text: str, *, html: bool = True,
                   buttons: Keyboard = ()) -> None: ...


class ChatMembers(Protocol):
    """Telegram's answers about chats and their administrators (bot.adapters.telegram.chat_members); a network
    error raises bot.errors.MembershipUnknown."""

    async def is_admin(self, chat_id: int, user_id: int) -> bool: ...
    async def bot_can_post(self, chat_id: int) -> bool: ...
    async def find_chat(self, username: str) -> ChatInfo | None: ...


class AdminAlerts(Protocol):
    """Tells the bot's admins about something that needs a human (a feed failing, a feed recovered)."""

    async def notify_admins(self, text: str) -> None: ...


# --- Languages ---------------------------------------------------------------------------------------


class TranslationMemory(Protocol):
    """Translations already paid for."""

    async def get_translation(self, text: str, source: str, target: str) -> str | None: ...
    async def put_translation(self, text: str, source: str, target: str, translated: str, provider: str,
                              now: datetime) -> None: ...


@runtime_checkable
class MachineTranslator(Protocol):
    """A machine translation provider; failures raise bot.errors.TranslationError."""

    name: str

    async def translate(self, text: str, source: str, target: str) -> str: ...


class LanguageDetection(Protocol):
    """Decides the language of a text."""

    def detect(self, text: str, declared: str | None = None) -> str | None: ...


# --- Processes ---------------------------------------------------------------------------------------


class WorkerRegistry(Protocol):
    """Where processes record themselves (heartbeats, counters) and renew the leases they hold."""

    async def heartbeat(self, role: str, now: datetime, live_within: timedelta, *, feeds_checked: int = 0,
                        alerts_sent: int = 0, messages_sent: int = 0, last_scan_at: datetime | None = None,
                        last_drain_at: datetime | None = None) -> int: ...
    async def retire(self, now: datetime, *, feeds_checked: int = 0, alerts_sent: int = 0,
                     messages_sent: int = 0) -> None: ...
    async def renew_outbox_leases(self, now: datetime, lease: timedelta) -> int: ...
    async def running_workers(self) -> list[WorkerRecord]: ...
    async def take_over(self, dead: Collection[str], now: datetime) -> TakenOver: ...



class Metrics(Protocol):
    """Counters, gauges and histograms for an operator's graphs (names in bot/core/metrics.py)."""

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None: ...
    def observe(self, name: str, value: float, **labels: str) -> None: ...
    def gauge(self, name: str, value: float, **labels: str) -> None: ...


# --- What each use case needs, composed -------------------------------------------------------------


class ScanStorage(FeedRecords, SubscriberRecords, Protocol):
    """The storage a scan needs: feeds and entries, and who follows what."""


class SubscriptionStorage(SubscriberRecords, EntryHistory, Protocol):
    """The storage subscribers' requests need."""


class DeliveryModeStorage(DeliveryPreferences, StoryDeliveries, Protocol):
    """What the delivery-modes stage reads and writes: preferences, rows' context, stories' messages."""


class DeliveryStorage(AlertOutbox, DeliveryModeStorage, Protocol):
    """The outbox, each chat's delivery preferences and its messages for stories."""


class LateTranslationStorage(UntranslatedAlerts, DeliveryModeStorage, Protocol):
    """What adding a late translation needs: the waiting alerts, and what the sender knows of their chats."""


class ChatStorage(SubscriberRecords, ChatRecords, Protocol):
    """The storage groups and channels need."""
