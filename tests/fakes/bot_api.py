"""A recording fake of the Telegram Bot API, good enough for python-telegram-bot 22.

It serves ``GET|POST /bot<token>/<method>`` exactly as PTB calls it (``Bot(token, base_url=f"{url}/bot")``).
PTB's ``HTTPXRequest`` sends the parameters form-encoded, each non-string value JSON-encoded
(``RequestParameter.json_value``: ``reply_markup``, ``entities``, ``allowed_updates``...). Other clients
send a JSON body or a query string; all three are accepted and decoded into plain Python values.

Responses follow the Bot API: ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": ..., "description": ..., "parameters": {"retry_after": ...}}`` (PTB turns
429 into ``RetryAfter``, 403 into ``Forbidden``, 400 into ``BadRequest``).

What it records:

* ``calls``: every request as ``(method, params)``, in order (method names as sent).
* ``sent``: every *accepted* ``sendMessage`` as a dict of its params plus ``message_id``, ``date``,
  ``visible_text`` (what the user sees: HTML tags removed, entities decoded) and ``sent_at``
  (``time.monotonic()``).
* ``failures``: every request answered with an injected error (params plus ``error_code``, ``at``).
* ``edits``: every accepted ``editMessageText`` (an edit of a message the user deleted with
  ``user_deletes`` is refused with "message to edit not found", as Telegram does).

With ``limits=TelegramLimits()`` sends over Telegram's rate limits are refused with 429 (see
rate_limits.py); ``migrate(chat_id, new_id)`` makes a group answer as one upgraded to a supergroup.
Groups and channels, their members and rights live in ``chats`` (chat_members.py); ``member_sends`` and
``bot_membership`` queue a group message and a ``my_chat_member`` update.

How tests drive it: ``user_sends(chat_id, "/start")`` queues an update that the bot receives through
``getUpdates`` long polling; ``await wait_for_messages(chat_id, count)`` waits for the replies.
Failures are injected per chat with ``fail_next_send`` / ``fail_with_flood`` / ``fail_with_blocked`` /
``fail_with_parse_error``, or permanently with ``block(chat_id)``.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes._server import LoopbackServer
from fakes.chat_members import ChatApiError, FakeChats
from fakes.rate_limits import TelegramLimits, retry_after_seconds

JSON = dict[str, Any]

#: parameters that are strings even when they look like numbers or JSON
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "action",
        "language_code",
        "url",
        "secret_token",
        "business_connection_id",
        "description",
        "short_description",
        "name",
        "title",
        "query",
        "emoji",
        "message_effect_id",
        "ip_address",
        "certificate",
    }
)
_ID_FIELDS = frozenset({"chat_id", "user_id", "from_chat_id", "sender_chat_id"})
_INT_RE = re.compile(r"^-?\d+$")

# Telegram HTML (https://core.telegram.org/bots/api#html-style)
_ALLOWED_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "blockquote",
    }
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>")
_ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#[xX][0-9a-fA-F]+);")
_MAX_MESSAGE_UTF16 = 4096


class ParseEntitiesError(ValueError):
    """The text is not valid for its ``parse_mode``; the message mimics Telegram's."""


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_telegram_html(text: str) -> str:
    """Validate Telegram-flavoured HTML and return the visible text.

    Strict where Telegram is strict (an unescaped ``<`` that is not a supported tag, unbalanced tags),
    lenient where it is lenient (a bare ``&`` is kept literally).
    """
    out: list[str] = []
    stack: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "<":
            match = _TAG_RE.match(text, i)
            if match is None:
                raise ParseEntitiesError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, i)}"
                    if ">" not in text[i:]
                    else f"Unsupported start tag at byte offset {_byte_offset(text, i)}"
                )
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in _ALLOWED_HTML_TAGS:
                raise ParseEntitiesError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ParseEntitiesError(
                        f'Unmatched end tag at byte offset {_byte_offset(text, i)}, expected "</{stack[-1]}>", '
                        f'found "</{name}>"'
                        if stack
                        else f"Unexpected end tag at byte offset {_byte_offset(text, i)}"
                    )
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
            continue
        if char == "&":
            match = _ENTITY_RE.match(text, i)
            if match is not None:
                out.append(html.unescape(match.group(0)))
                i = match.end()
                continue
        out.append(char)
        i += 1
    if stack:
        raise ParseEntitiesError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def visible_text(message: Mapping[str, Any]) -> str:
    """What a Telegram user would read for a recorded ``sendMessage``/``editMessageText``."""
    if "visible_text" in message:
        return str(message["visible_text"])
    return _render(str(message.get("text", "")), message.get("parse_mode"))


def _render(text: str, parse_mode: Any) -> str:
    mode = str(parse_mode or "").lower()
    if mode == "html":
        return parse_telegram_html(text)
    if mode == "markdownv2":
        return re.sub(r"\\(.)", r"\1", text)
    return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _same_chat(a: Any, b: Any) -> bool:
    return str(a) == str(b)


class TelegramError(Exception):
    """Raised inside handlers to produce an ``ok: false`` answer."""

    def __init__(self, error_code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


@dataclass
class _InjectedFailure:
    method: str
    chat_id: Any
    error_code: int
    description: str
    remaining: int
    parameters: JSON | None = None
    only_with_parse_mode: bool = False

    def applies(self, method: str, params: Mapping[str, Any]) -> bool:
        if self.remaining <= 0 or method.lower() != self.method.lower():
            return False
        if self.chat_id is not None and not _same_chat(params.get("chat_id"), self.chat_id):
            return False
        return not (self.only_with_parse_mode and not params.get("parse_mode"))


@dataclass
class _PollState:
    generation: int = 0
    active: int = 0
    conflicts: int = 0
    waiters: set[asyncio.Future[None]] = field(default_factory=set)


class FakeBotApi(LoopbackServer):
    """Recording fake Bot API server. ``url`` is the root to give the app as ``TELEGRAM_API_URL``."""

    def __init__(
        self,
        token: str | None = "123456:TEST-token",
        *,
        bot_username: str = "fake_alert_bot",
        strict_chats: bool = False,
        limits: TelegramLimits | None = None,
        send_delay: float = 0.0,
    ) -> None:
        """``token=None`` accepts any token; ``strict_chats`` answers 400 "chat not found" for sends
        to chats that never wrote to the bot (as real Telegram does); ``limits`` answers 429 to sends
        over Telegram's rate limits; ``send_delay`` makes every sendMessage take that long (latency)."""
        super().__init__()
        self.limits = limits
        self.send_delay = send_delay
        self.migrated: dict[str, int] = {}
        self.token = token
        self.bot_username = bot_username
        self.strict_chats = strict_chats
        self.calls: list[tuple[str, JSON]] = []
        self.sent: list[JSON] = []
        self.edits: list[JSON] = []
        self.documents: list[JSON] = []
        """Files the bot sent (sendDocument): chat_id, filename, content (bytes), caption."""
        self._files: dict[str, bytes] = {}
        self.deleted: set[tuple[str, int]] = set()
        self.failures: list[JSON] = []
        self.commands: dict[str, list[JSON]] = {}
        self.webhook_url = ""
        self.blocked: set[str] = set()
        self.known_chats: set[str] = set()
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._injected: list[_InjectedFailure] = []
        self.chats = FakeChats(self.bot_user)
        self._poll = _PollState()
        self._closing = False

    # ------------------------------------------------------------------------------------------------
    # addressing
    @property
    def url(self) -> str:
        """Root of the fake Bot API (what ``TELEGRAM_API_URL`` should be); PTB's base_url is
        ``f"{url}/bot"``."""
        return self.base_url

    @property
    def bot_id(self) -> int:
        prefix = (self.token or "123456:x").split(":", 1)[0]
        return int(prefix) if prefix.isdigit() else 123456

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Fake Alert Bot",
            "username": self.bot_username,
        }

    # ------------------------------------------------------------------------------------------------
    # what tests do as users
    def user_sends(
        self,
        chat_id: int,
        text: str,
        language_code: str | None = "en",
        user_id: int | None = None,
        *,
        first_name: str | None = None,
    ) -> JSON:
        """Queue a private-chat text message from a user; returns the queued update."""
        uid = chat_id if user_id is None else user_id
        sender: JSON = {"id": uid, "is_bot": False, "first_name": first_name or f"User{uid}"}
        if language_code is not None:
            sender["language_code"] = language_code
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, first_name or f"User{uid}"),
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        self.known_chats.add(str(chat_id))
        if text.startswith("/start"):
            self.blocked.discard(str(chat_id))
        return self._enqueue({"message": message})

    def user_presses(
        self,
        chat_id: int,
        data: str,
        message_id: int,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> JSON:
        """Queue a callback query (an inline button pressed under a bot message)."""
        uid = chat_id if user_id is None else user_id
        sender: JSON = {"id": uid, "is_bot": False, "first_name": f"User{uid}"}
        if language_code is not None:
            sender["language_code"] = language_code
        original = next(
            (m for m in self.sent if _same_chat(m["chat_id"], chat_id) and m["message_id"] == message_id),
            None,
        )
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id, f"User{uid}"),
            "from": self.bot_user,
            "text": original["visible_text"] if original else "",
        }
        query = {
            "id": str(next(self._callback_ids)),
            "from": sender,
            "chat_instance": str(chat_id),
            "data": data,
            "message": message,
        }
        return self._enqueue({"callback_query": query})

    def user_sends_document(self, chat_id: int, filename: str, content: bytes, caption: str | None = None,
                            language_code: str | None = "en") -> JSON:
        """Queue a private-chat document from a user (the bot fetches it with getFile and a download)."""
        file_id = f"file-{len(self._files) + 1}"
        self._files[file_id] = content
        sender: JSON = {"id": chat_id, "is_bot": False, "first_name": f"User{chat_id}"}
        if language_code is not None:
            sender["language_code"] = language_code
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, f"User{chat_id}"),
            "from": sender,
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": filename,
                         "mime_type": "application/octet-stream", "file_size": len(content)},
        }
        if caption is not None:
            message["caption"] = caption
            if caption.startswith("/"):
                command = caption.split(maxsplit=1)[0]
                message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        self.known_chats.add(str(chat_id))
        return self._enqueue({"message": message})

    def member_sends(self, chat_id: int, user_id: int, text: str, *, thread_id: int | None = None,
                     anonymous: bool = False) -> JSON:
        """Queue a message written in a group declared with ``chats.add_group`` (see chat_members.py)."""
        message = self.chats.message(chat_id, user_id, text, next(self._message_ids), thread_id=thread_id,
                                     anonymous=anonymous)
        self.known_chats.add(str(chat_id))
        return self._enqueue({"message": message})

    def bot_membership(self, chat_id: int, by_user: int, status: str) -> JSON:
        """Queue the ``my_chat_member`` update of someone adding (``member``) or removing (``left``,
        ``kicked``) the bot."""
        return self._enqueue({"my_chat_member": self.chats.bot_status_change(chat_id, by_user, status)})

    def _enqueue(self, payload: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._schedule_notify()
        return update

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot (via a later ``getUpdates`` offset)."""
        return list(self._updates)

    # ------------------------------------------------------------------------------------------------
    # what tests inspect
    def messages_to(self, chat_id: int | str) -> list[JSON]:
        """Accepted ``sendMessage`` calls to ``chat_id``, in order."""
        return [m for m in self.sent if _same_chat(m["chat_id"], chat_id)]

    def texts_to(self, chat_id: int | str) -> list[str]:
        """Visible texts of the messages to ``chat_id``."""
        return [m["visible_text"] for m in self.messages_to(chat_id)]

    def calls_to(self, method: str) -> list[JSON]:
        """Params of every call of ``method`` (case-insensitive), in order."""
        return [params for name, params in self.calls if name.lower() == method.lower()]

    async def wait_for_messages(
        self,
        chat_id: int | str,
        count: int = 1,
        timeout: float = 15.0,  # noqa: ASYNC109
        *,
        since: int = 0,
    ) -> list[JSON]:
        """Wait until at least ``count`` messages to ``chat_id`` exist after index ``since`` (of
        ``messages_to(chat_id)``) and return those after ``since``; AssertionError on timeout."""
        ok = await self._wait(lambda: len(self.messages_to(chat_id)) - since >= count, timeout)
        got = self.messages_to(chat_id)[since:]
        if not ok:
            raise AssertionError(
                f"expected {count} message(s) to chat {chat_id} within {timeout}s, got {len(got)}: "
                f"{[m['visible_text'] for m in got]!r}"
            )
        return got

    async def wait_for_message(
        self,
        chat_id: int | str,
        predicate: Callable[[JSON], bool],
        timeout: float = 15.0,  # noqa: ASYNC109
        *,
        since: int = 0,
    ) -> JSON:
        """Wait for a message to ``chat_id`` (after index ``since``) satisfying ``predicate``."""

        def find() -> JSON | None:
            return next((m for m in self.messages_to(chat_id)[since:] if predicate(m)), None)

        await self._wait(lambda: find() is not None, timeout)
        found = find()
        if found is None:
            raise AssertionError(
                f"no matching message to chat {chat_id} within {timeout}s; got: {self.texts_to(chat_id)[since:]!r}"
            )
        return found

    async def wait_for_call(self, method: str, timeout: float = 15.0, *, since: int = 0) -> JSON:  # noqa: ASYNC109
        """Wait for a call of ``method`` at index >= ``since`` of ``calls``; returns its params."""

        def find() -> JSON | None:
            return next(
                (p for name, p in self.calls[since:] if name.lower() == method.lower()),
                None,
            )

        await self._wait(lambda: find() is not None, timeout)
        found = find()
        if found is None:
            raise AssertionError(f"{method} was not called within {timeout}s")
        return found

    # ------------------------------------------------------------------------------------------------
    # failure injection
    def fail_next_send(
        self,
        chat_id: int | str | None,
        error_code: int,
        description: str,
        *,
        times: int = 1,
        retry_after: int | None = None,
        method: str = "sendMessage",
        only_with_parse_mode: bool = False,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` to ``chat_id`` (None: any chat) with an error."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self._injected.append(
            _InjectedFailure(method, chat_id, error_code, description, times, parameters, only_with_parse_mode)
        )

    def fail_with_flood(self, chat_id: int | str | None, retry_after: int = 1, *, times: int = 1) -> None:
        """429 "Too Many Requests: retry after N" with ``parameters.retry_after``."""
        self.fail_next_send(
            chat_id,
            429,
            f"Too Many Requests: retry after {retry_after}",
            times=times,
            retry_after=retry_after,
        )

    def fail_with_blocked(self, chat_id: int | str | None, *, times: int = 1) -> None:
        """403 "Forbidden: bot was blocked by the user" for the next ``times`` sends."""
        self.fail_next_send(chat_id, 403, "Forbidden: bot was blocked by the user", times=times)

    def fail_with_parse_error(self, chat_id: int | str | None, *, times: int = 1) -> None:
        """400 "can't parse entities" for the next ``times`` sends *that use a parse_mode*, so a plain
        text resend goes through, as with real Telegram."""
        self.fail_next_send(
            chat_id,
            400,
            'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
            times=times,
            only_with_parse_mode=True,
        )

    def user_deletes(self, chat_id: int | str, message_id: int) -> None:
        """The user deletes a message the bot sent: edits of it fail from now on."""
        self.deleted.add((str(chat_id), int(message_id)))

    def block(self, chat_id: int | str) -> None:
        """The user blocks the bot: every send to the chat gets 403 until they send /start again."""
        self.blocked.add(str(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        self.blocked.discard(str(chat_id))

    # ------------------------------------------------------------------------------------------------
    # server
    def _setup(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.*}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._not_found)

    async def _before_stop(self) -> None:
        self._closing = True
        for waiter in list(self._poll.waiters):
            if not waiter.done():
                waiter.set_result(None)
        await self._notify()

    async def _download(self, request: web.Request) -> web.Response:
        """A file a user sent, as getFile's file_path names it (documents/<file_id>)."""
        if self.token is not None and request.match_info["token"] != self.token:
            return _error_response(TelegramError(401, "Unauthorized"))
        content = self._files.get(request.match_info["path"].removeprefix("documents/"))
        if content is None:
            return _error_response(TelegramError(404, "Not Found"))
        return web.Response(body=content, content_type="application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.Response:
        return _error_response(TelegramError(404, "Not Found"))

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.match_info["token"]
        try:
            params = await _read_params(request)
        except ValueError as exc:
            return _error_response(TelegramError(400, f"Bad Request: {exc}"))
        self.calls.append((method, params))
        self._schedule_notify()
        if self.token is not None and token != self.token:
            return _error_response(TelegramError(401, "Unauthorized"))
        try:
            failure = next((f for f in self._injected if f.applies(method, params)), None)
            if failure is not None:
                failure.remaining -= 1
                self._record_failure(method, params, failure.error_code)
                raise TelegramError(failure.error_code, failure.description, failure.parameters)
            result = await self._dispatch(method, params)
        except TelegramError as exc:
            return _error_response(exc)
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    def _record_failure(self, method: str, params: JSON, error_code: int) -> None:
        self.failures.append({"method": method, **params, "error_code": error_code, "at": time.monotonic()})

    async def _dispatch(self, method: str, params: JSON) -> Any:
        name = method.lower()
        if name == "getme":
            return {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        if name == "getupdates":
            return await self._get_updates(params)
        if name == "deletewebhook":
            self.webhook_url = ""
            if params.get("drop_pending_updates"):
                self._updates.clear()
            return True
        if name == "setwebhook":
            self.webhook_url = str(params.get("url", ""))
            return True
        if name == "getwebhookinfo":
            return {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
        if name == "setmycommands":
            self.commands[self._commands_key(params)] = list(params.get("commands") or [])
            return True
        if name == "deletemycommands":
            self.commands.pop(self._commands_key(params), None)
            return True
        if name == "getmycommands":
            return self.commands.get(self._commands_key(params), [])
        if name == "sendmessage":
            if self.send_delay:
                await asyncio.sleep(self.send_delay)
            return self._send_message(params)
        if name == "editmessagetext":
            return self._edit_message_text(params)
        if name == "senddocument":
            return self._send_document(params)
        if name == "getfile":
            file_id = str(params.get("file_id"))
            if file_id not in self._files:
                raise TelegramError(400, "Bad Request: invalid file_id")
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self._files[file_id]),
                    "file_path": f"documents/{file_id}"}
        if name in {"getchat", "getchatmember", "getchatadministrators"}:
            try:
                return self.chats.answer(name, params)
            except ChatApiError as error:
                raise TelegramError(error.error_code, error.description) from None
        if name in {"answercallbackquery", "sendchataction", "close", "logout"}:
            if name == "sendchataction":
                self._check_can_send(params)
            return True
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0.0, min(float(params.get("timeout") or 0), 60.0))
        allowed = params.get("allowed_updates") or None

        # a newer getUpdates terminates an older pending one with 409, as on api.telegram.org
        self._poll.generation += 1
        generation = self._poll.generation
        for waiter in list(self._poll.waiters):
            if not waiter.done():
                waiter.set_result(None)

        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

        def ready() -> list[JSON]:
            updates = self._updates
            if offset < 0:
                updates = updates[offset:]
            if allowed:
                updates = [u for u in updates if any(kind in u for kind in allowed)]
            return updates[:limit]

        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll.generation:
                self._poll.conflicts += 1
                raise TelegramError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            batch = ready()
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                return batch
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._poll.waiters.add(waiter)
            try:
                async with asyncio.timeout(remaining):
                    await waiter
            except TimeoutError:
                pass
            finally:
                self._poll.waiters.discard(waiter)

    async def _notify(self) -> None:
        for waiter in list(self._poll.waiters):
            if not waiter.done():
                waiter.set_result(None)
        await super()._notify()

    def _check_can_send(self, params: Mapping[str, Any]) -> None:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise TelegramError(400, "Bad Request: chat_id is empty")
        if str(chat_id) in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        if self.strict_chats and str(chat_id) not in self.known_chats:
            raise TelegramError(400, "Bad Request: chat not found")

    def migrate(self, chat_id: int | str, new_chat_id: int) -> None:
        """The group became a supergroup: sends to the old id fail with migrate_to_chat_id."""
        self.migrated[str(chat_id)] = new_chat_id

    def _check_limits(self, params: Mapping[str, Any]) -> None:
        chat_id = str(params.get("chat_id"))
        if chat_id in self.migrated:
            raise TelegramError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                {"migrate_to_chat_id": self.migrated[chat_id]})
        if self.limits is None:
            return
        wait = self.limits.check_and_count(chat_id, time.monotonic())
        if wait is not None:
            seconds = retry_after_seconds(wait)
            raise TelegramError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    def _checked_text(self, params: Mapping[str, Any]) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        try:
            shown = _render(text, params.get("parse_mode"))
        except ParseEntitiesError as exc:
            raise TelegramError(400, f"Bad Request: can't parse entities: {exc}") from None
        if not shown.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if _utf16_len(shown) > _MAX_MESSAGE_UTF16:
            raise TelegramError(400, "Bad Request: message is too long")
        return shown

    def _send_message(self, params: JSON) -> JSON:
        try:
            self._check_can_send(params)
            shown = self._checked_text(params)
            self._check_limits(params)
        except TelegramError as exc:
            self._record_failure("sendMessage", params, exc.error_code)
            raise
        record = {
            **params,
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "visible_text": shown,
            "sent_at": time.monotonic(),
        }
        self.sent.append(record)
        return self._message_result(record)

    def _send_document(self, params: JSON) -> JSON:
        self._check_can_send(params)
        upload = params.get("document")
        if not isinstance(upload, dict) or "content" not in upload:
            raise TelegramError(400, "Bad Request: there is no document in the request")
        record = {"chat_id": params.get("chat_id"), "filename": upload["filename"], "content": upload["content"],
                  "caption": params.get("caption"), "message_id": next(self._message_ids)}
        self.documents.append(record)
        return {"message_id": record["message_id"], "date": int(time.time()), "chat": self._chat(record["chat_id"]),
                "from": self.bot_user, "document": {"file_id": f"sent-{record['message_id']}",
                                                    "file_unique_id": f"sent-{record['message_id']}",
                                                    "file_name": upload["filename"]}}

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            self.edits.append(dict(params))
            return True
        target = next(
            (
                m
                for m in self.sent
                if _same_chat(m["chat_id"], params.get("chat_id")) and m["message_id"] == params.get("message_id")
            ),
            None,
        )
        if target is None or (str(target["chat_id"]), int(target["message_id"])) in self.deleted:
            self._record_failure("editMessageText", params, 400)
            raise TelegramError(400, "Bad Request: message to edit not found")
        shown = self._checked_text(params)
        if shown == target["visible_text"] and params.get("reply_markup") == target.get("reply_markup"):
            raise TelegramError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        target.update({k: v for k, v in params.items() if k not in {"chat_id", "message_id"}})
        target["visible_text"] = shown
        self.edits.append({**params, "visible_text": shown})
        return self._message_result(target)

    def _message_result(self, record: Mapping[str, Any]) -> JSON:
        result: JSON = {
            "message_id": record["message_id"],
            "date": record["date"],
            "chat": self._chat(record["chat_id"]),
            "from": self.bot_user,
            "text": record["visible_text"],
        }
        if isinstance(record.get("reply_markup"), dict) and "inline_keyboard" in record["reply_markup"]:
            result["reply_markup"] = record["reply_markup"]
        return result

    @staticmethod
    def _chat(chat_id: Any, first_name: str | None = None) -> JSON:
        if isinstance(chat_id, int) or (isinstance(chat_id, str) and _INT_RE.match(chat_id)):
            numeric = int(chat_id)
            if numeric > 0:
                return {"id": numeric, "type": "private", "first_name": first_name or f"User{numeric}"}
            kind = "supergroup" if str(numeric).startswith("-100") else "group"
            return {"id": numeric, "type": kind, "title": f"Chat {numeric}"}
        name = str(chat_id).lstrip("@")
        return {"id": -1000000000000 - abs(hash(name)) % 10**9, "type": "channel", "title": name}


# ----------------------------------------------------------------------------------------------------
# request decoding


async def _read_params(request: web.Request) -> JSON:
    raw: dict[str, Any] = dict(request.query)
    typed: dict[str, Any] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            typed.update(body)
        elif request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    raw[key] = value
                else:  # an uploaded file
                    content = value.file.read()
                    typed[key] = {"filename": value.filename, "size": len(content), "content": content}
        else:
            body_text = await request.text()
            if body_text.strip():
                raise ValueError(f"unsupported content type {request.content_type}")
    params = {key: _decode(key, value) for key, value in raw.items()}
    for key, value in typed.items():
        if isinstance(value, str) and key not in _STRING_FIELDS:
            value = _decode(key, value)
        params[key] = value
    return params


def _decode(key: str, value: str) -> Any:
    """Undo PTB's ``json_value`` encoding for one form field."""
    if key in _STRING_FIELDS:
        return value
    if key in _ID_FIELDS:
        return int(value) if _INT_RE.match(value) else value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if not isinstance(decoded, str) else value


def _error_response(exc: TelegramError) -> web.Response:
    body: JSON = {"ok": False, "error_code": exc.error_code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.error_code)
