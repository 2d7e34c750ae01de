"""Value objects shared by every layer: feeds, entries, keyword concepts, subscribers, deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LANGUAGES: tuple[str, ...] = ("ar", "tr", "ru", "en")
LANGUAGE_NAMES: Mapping[str, str] = {"ar": "Arabic", "tr": "Turkish", "ru": "Russian", "en": "English"}

Variants = Mapping[str, tuple[str, ...]]
"""Phrases per language code, e.g. {"en": ("Idlib", "Idleb"), "ar": ("إدلب",)}."""


@dataclass(frozen=True)
class FeedConfig:
    """A feed as an operator declares it in FEEDS_FILE or with /addfeed."""

    name: str
    url: str
    lang: str


@dataclass(frozen=True)
class Feed:
    """A feed with its stored fetch state and health.

    `entries_per_day` and `observed_seconds` are its publishing rate (bot.core.feeds.schedule.PublishingRate);
    `ttl_seconds` the RSS <ttl> last served; `failing_since` when the current run of failures began
    (None while healthy) and `failure_notified` whether admins were told about it.
    """

    id: int
    name: str
    url: str
    lang: str
    active: bool
    etag: str | None
    last_modified: str | None
    next_check_at: datetime
    error_count: int
    last_error: str | None
    last_error_at: datetime | None
    last_success_at: datetime | None
    checks: int = 0
    not_modified: int = 0
    entries_per_day: float = 0.0
    observed_seconds: float = 0.0
    ttl_seconds: float | None = None
    failing_since: datetime | None = None
    failure_notified: bool = False


@dataclass(frozen=True)
class ParsedEntry:
    """One item of a parsed feed, with plain-text title and summary (HTML already stripped)."""

    identity: str
    title: str
    summary: str
    link: str | None
    guid: str | None = None
    published_at: datetime | None = None
    lang: str | None = None


def _freeze(variants: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for lang, phrases in (variants or {}).items():
        if isinstance(phrases, str):
            phrases = [phrases]
        cleaned = tuple(dict.fromkeys(p.strip() for p in phrases if p and p.strip()))
        if cleaned:
            result[str(lang)] = cleaned
    return result


@dataclass(frozen=True)
class SentenceVeto:
    """Phrases that, in the same sentence as one of `applies_to` (ambiguous phrases; empty means all of
    them), show that mention names something else ("M5", "Aleppo–Damascus", the «Don» highway)."""

    applies_to: tuple[str, ...]
    phrases: Variants

    def __post_init__(self) -> None:
        object.__setattr__(self, "applies_to", tuple(self.applies_to))
        object.__setattr__(self, "phrases", _freeze(self.phrases))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form."""
        return {"applies_to": list(self.applies_to), "phrases": {k: list(v) for k, v in self.phrases.items()}}


_PHRASE_FIELDS = ("terms", "ambiguous", "context", "vetoes", "strong_context", "strong_vetoes")
"""The fields of a `Concept` that hold phrases per language."""


@dataclass(frozen=True)
class Concept:
    """A keyword: one idea with its spellings in every language, and the context that decides it.

    `terms` match on their own; `ambiguous` phrases count only when the context outweighs the vetoes:
    each `context` phrase weighs 1, each `strong_context` phrase 2, each `vetoes` phrase 1 against and each
    `strong_vetoes` phrase 2 against, and the context must weigh more (see bot.core.matching.evidence).
    A `sentence_vetoes` phrase cancels the ambiguous mentions of its own sentence. With `sound_alike`,
    terms also match other transliterations with the same consonant skeleton (Saraqib = Serakib = سراقب).
    """

    key: str
    label: str
    terms: Variants = field(default_factory=dict)
    ambiguous: Variants = field(default_factory=dict)
    context: Variants = field(default_factory=dict)
    vetoes: Variants = field(default_factory=dict)
    builtin: bool = False
    sound_alike: bool = False
    strong_context: Variants = field(default_factory=dict)
    strong_vetoes: Variants = field(default_factory=dict)
    sentence_vetoes: tuple[SentenceVeto, ...] = ()

    def __post_init__(self) -> None:
        for name in _PHRASE_FIELDS:
            object.__setattr__(self, name, _freeze(getattr(self, name)))
        object.__setattr__(self, "sentence_vetoes", tuple(self.sentence_vetoes))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, the inverse of `from_dict`."""
        phrases = {name: {k: list(v) for k, v in getattr(self, name).items()} for name in _PHRASE_FIELDS}
        return {"key": self.key, "label": self.label, **phrases, "builtin": self.builtin,
                "sound_alike": self.sound_alike,
                "sentence_vetoes": [veto.to_dict() for veto in self.sentence_vetoes]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Concept:
        """Rebuild a concept stored with `to_dict`."""
        return cls(
            key=str(data["key"]),
            label=str(data.get("label") or data["key"]),
            **{name: data.get(name) or {} for name in _PHRASE_FIELDS},
            builtin=bool(data.get("builtin", False)),
            sound_alike=bool(data.get("sound_alike", False)),
            sentence_vetoes=tuple(
                SentenceVeto(tuple(item.get("applies_to") or ()), item.get("phrases") or {})
                for item in data.get("sentence_vetoes") or ()
            ),
        )


@dataclass(frozen=True)
class Subscriber:
    """A Telegram chat that receives alerts; `language` is the translation target.

    `interface_language` is the language the bot talks in, None until the subscriber picks one
    (then Telegram's language_code decides, see bot.core.interface.i18n.interface_language).
    """

    chat_id: int
    language: str
    active: bool
    interface_language: str | None = None
    time_zone: str | None = None
    """IANA name; None is UTC."""
    quiet_start: int | None = None
    """Quiet hours as local minutes of the day; None when there are none."""
    quiet_end: int | None = None
    quiet_mode: str = "silent"
    digest_mode: str = "off"
    corroborated_only: bool = False
    chat_type: str = "private"
    """private, group, supergroup or channel."""
    thread_id: int | None = None
    """The forum topic that receives alerts; None: the main chat."""
    owner_id: int | None = None
    """Who connected a channel (and manages it from a private chat); None for other chats."""
    title: str | None = None
    """A group's or channel's title when it subscribed."""


@dataclass(frozen=True)
class ChatInfo:
    """A group or channel as Telegram describes it (getChat)."""

    id: int
    type: str
    title: str
    username: str | None = None


@dataclass(frozen=True)
class SubscriberKeyword:
    """A concept one subscriber follows."""

    chat_id: int
    concept: Concept


@dataclass(frozen=True)
class Delivery:
    """An alert to write to the outbox together with its entry."""

    chat_id: int
    text: str
    keyword: str
    untranslated: str | None = None
    """Every translator failed: the alert's content as JSON, to edit it later (core/delivery/late_translation.py)."""


@dataclass(frozen=True)
class OutboxMessage:
    """A pending delivery claimed by the sender."""

    id: int
    chat_id: int
    entry_id: int
    text: str
    attempts: int
    keyword: str = ""
    digest: bool = False
    """The row waited for a digest (see bot/core/delivery/quiet.py) and goes out as part of one."""
    story_id: int | None = None
    """The story its entry joined (None for rows queued before stories existed)."""
    summary: bool = False
    """Over its scan cycle's alert cap (core/delivery/alert_cap.py): it goes out in the chat's summary message."""


@dataclass(frozen=True)
class ChatPreferences:
    """What a chat asked for, as stored (the time zone as an IANA name, None for UTC)."""

    active: bool = True
    language: str = "en"
    """The translation target."""
    time_zone: str | None = None
    quiet_start: int | None = None
    quiet_end: int | None = None
    quiet_mode: str = "silent"
    digest_mode: str = "off"
    interface_language: str | None = None
    corroborated_only: bool = False
    """Alert only once a second independent source reports the story (urgent keywords excepted)."""
    urgent: frozenset[str] = frozenset()
    """Keys of the chat's urgent keywords."""
    muted_keywords: frozenset[str] = frozenset()
    muted_sources: frozenset[int] = frozenset()
    """Feed ids."""
    thread_id: int | None = None
    """The forum topic alerts go to; None: the main chat."""
    chat_type: str = "private"
    """private, group, supergroup or channel."""


@dataclass(frozen=True)
class RowContext:
    """Where an outbox row's entry came from, for digests and source mutes."""

    feed_id: int
    source: str
    title: str
    lang: str | None
    link: str | None
    keyword: str = ""
    story_id: int | None = None


@dataclass(frozen=True)
class AlertDetails:
    """An alert as sent (outbox row) and the entry it came from, for the buttons under it."""

    outbox_id: int
    chat_id: int
    text: str
    keyword: str
    feed_id: int
    source: str
    title: str
    summary: str
    lang: str | None
    link: str | None


@dataclass(frozen=True)
class StoryMessage:
    """The Telegram message that carries a story's alert in one chat, and the entries it lists."""

    chat_id: int
    story_id: int
    message_id: int | None
    outbox_id: int | None
    """The row the buttons under it refer to."""
    text: str
    base_text: str
    """The first report's alert, without the sources block."""
    entry_ids: frozenset[int]
    editable: bool
    """False once an edit was refused: later reports are threaded replies."""
    sent_at: datetime
