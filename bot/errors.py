"""One hierarchy for every error the bot expects and handles (a failing feed is a result, not a crash).

What a user is told is never matched back from English text: a refusal is a `UserError` carrying a
message key (a gettext message id, marked with N_ where it is raised) and its arguments, and the
interface translates the key (bot.handlers.interface.reason).
"""

from __future__ import annotations


class BotError(Exception):
    """Base of all errors the bot raises on purpose."""


class KeywordLimitReached(BotError):
    """Storage refused a keyword because the chat already has `count` of them (the limit)."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the chat already has {count} keywords")
        self.count = count


class UserError(BotError, ValueError):
    """A request a user made that cannot be done, said as a message key and its arguments.

    `key` is a gettext message id with str.format placeholders, `params` fill them. The core and the
    services raise it; the interface shows `t.gettext(error.key, **error.params)`. str(error) is the
    English text, for logs and tests. It is a ValueError, so callers that only validate may catch that.
    """

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key.format(**params) if params else key)
        self.key = key
        self.params = params


class SettingsError(BotError):
    """A missing or malformed setting; the message names the variable."""


class ConfigFileError(BotError):
    """A config file (feeds, keywords) is missing or malformed; the message names the file."""


class FeedError(BotError):
    """A feed could not be fetched or parsed."""


class FetchError(FeedError):
    """The HTTP fetch failed: network error, timeout, HTTP error status, or a body over the byte cap."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FeedParseError(FeedError):
    """The body is not a feed, or nothing in it could be recovered."""


class TranslationError(BotError):
    """The translator failed or ran past its deadline; `rate_limited` when the provider answered 429."""

    def __init__(self, message: str, *, rate_limited: bool = False) -> None:
        super().__init__(message)
        self.rate_limited = rate_limited


class StorageError(BotError):
    """The database could not be opened or migrated."""


class SendError(BotError):
    """Telegram did not accept a message; subclasses say what to do about it."""


class FloodWait(SendError):
    """Telegram answered 429: wait `retry_after` seconds, keep the message."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"flood control: retry after {retry_after:g}s")
        self.retry_after = retry_after


class ChatUnavailable(SendError):
    """The chat is gone for us (blocked, kicked, deactivated, not found): stop sending to it."""


class ChatMoved(SendError):
    """The group became a supergroup with a new id: move the subscription there and resend."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"group migrated to chat {new_chat_id}")
        self.new_chat_id = new_chat_id


class TopicGone(SendError):
    """The forum topic a group chose for its alerts was deleted or closed: send to the main chat instead."""


class MarkupRejected(SendError):
    """Telegram could not parse the HTML entities: resend as plain text."""


class TemporarySendError(SendError):
    """Timeout, network error or a 5xx: retry with backoff."""


class PermanentSendError(SendError):
    """Any other refusal: record it; retrying will not help."""


class EditRefused(SendError):
    """Telegram will not edit the message (not found, deleted, too old to edit): reply to it."""


class UnsafeAddress(FetchError):
    """The feed URL (or a redirect) points at an address the bot must not fetch: loopback, private,
    link-local, cloud metadata and similar internal ranges (unless ALLOW_PRIVATE_FEED_ADDRESSES is set)."""


class MembershipUnknown(BotError):
    """Telegram could not say who administers a chat (a network error): ask the user to try again."""
