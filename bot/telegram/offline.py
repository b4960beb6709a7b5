"""A Bot API that lives in memory: python-telegram-bot's request class, minus the network.

Every call the bot makes is recorded (method, parameters, when) and answered the way the
Bot API answers it (a ``Message`` for ``sendMessage``, ``True`` for ``setMyCommands`` …).
The end-to-end tests and the latency benchmark drive the real ``Application`` through it;
``down`` (or ``unreachable`` for some chats) makes calls fail as when Telegram is unreachable:
the connection refused, nothing sent.

It can also misbehave the way Telegram does: ``delay`` answers every call that late, and a
call whose answer comes later than the client waits (``timeout``) is applied — Telegram
took it — while the client gets ``TimedOut``; ``fail(method, *faults)`` scripts the next
answers to a method (:class:`Fault`: 500s, 429 with retry_after, timeouts, connections
refused or reset before or after the request was written).

``failing`` makes one method fail (``None``: on the network; a text: 400 with it). Telegram's
limits are enforced as Telegram does, with 400 Bad Request (:func:`over_limits`): a text over
4096 characters, a caption over 1024, callback data over 64 bytes, more than 100 buttons, an
answer to a button over 200 characters, an upload over 50 MB; ``getFile`` of a file over 20 MB.

Files: :meth:`OfflineBotAPI.upload` keeps a file a user sends (the ``document`` of an update);
``getFile`` answers its path and a GET of the file URL its bytes, as Telegram's file server does.
A file the bot uploads (``sendDocument``) is kept on its :class:`Call` (``uploads``).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.resilience import NotSent

BOT_ID = 7000000001
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "客服助手"}
_MESSAGE_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
TEXT_LIMIT, CAPTION_LIMIT, DATA_LIMIT, BUTTON_LIMIT, ANSWER_LIMIT = 4096, 1024, 64, 100, 200
DOWNLOAD_LIMIT, UPLOAD_LIMIT = 20 * 1024 * 1024, 50 * 1024 * 1024  # bytes: getFile, and a bot's upload
_FILE_URL = "/file/bot"
_TAG = re.compile(r"<[^>]*>")


class Fault(StrEnum):
    """One way a Bot API call can go wrong, and whether Telegram acted on it."""

    REFUSED = "refused"  # connection refused: nothing written, nothing done
    RESET_BEFORE = "reset_before"  # connection reset before the request was written: nothing done
    RESET_AFTER = "reset_after"  # reset after the request was written: Telegram acted, no answer
    TIMEOUT = "timeout"  # Telegram acted; its answer came after the client gave up
    SERVER_ERROR = "500"  # 500: here, Telegram did not act (the bot cannot tell)
    BAD_GATEWAY = "502"  # 502 from Telegram's front: here, the Bot API behind it did act
    FLOOD = "429"  # 429 with retry_after: nothing done


@dataclass(slots=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)
    result: Any = None  # what the Bot API answered (the sent Message, as JSON)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field → (file name, bytes)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return int(chat_id) if chat_id is not None else None

    @property
    def message_id(self) -> int | None:
        return self.result.get("message_id") if isinstance(self.result, dict) else None

    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [button for row in markup.get("inline_keyboard", []) for button in row]


# Updates as Telegram sends them (JSON), for whoever plays the user: tests, benchmarks, local mode.


def user_json(user_id: int, name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def message_json(chat_id: int, text: str, *, message_id: int, name: str = "访客",
                 reply_to: int | None = None, edited: bool = False,
                 document: dict[str, Any] | None = None) -> dict[str, Any]:
    """A private-chat text message; a leading /command gets its entity, as Telegram marks it.
    With a ``document`` (see :meth:`OfflineBotAPI.upload`) the text is its caption."""
    now = int(time.time())
    message: dict[str, Any] = {
        "message_id": message_id, "date": now, "chat": {"id": chat_id, "type": "private"},
        "from": user_json(chat_id, name), "text": text,
    }
    if document is not None:
        message["document"] = document
        caption = message.pop("text")
        if caption:
            message["caption"] = caption
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]
    if reply_to is not None:
        message["reply_to_message"] = {"message_id": reply_to, "date": now, "chat": {"id": chat_id, "type": "private"},
                                       "from": BOT_USER, "text": "…"}
    if edited:
        message["edit_date"] = now
    return message


def callback_json(query_id: str, chat_id: int, data: str, *, message_id: int, message_text: str,
                  name: str = "访客", replied: tuple[int, str] | None = None,
                  markup: dict[str, Any] | None = None) -> dict[str, Any]:
    """The user pressing an inline button under the bot's message ``message_id``; ``replied``:
    (id, text) of the user's message that bot message replies to, and ``markup`` the message's
    inline keyboard, as Telegram includes them."""
    message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()),
                               "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": message_text or "…"}
    if markup:
        message["reply_markup"] = markup
    if replied is not None:
        message["reply_to_message"] = {"message_id": replied[0], "date": int(time.time()),
                                       "chat": {"id": chat_id, "type": "private"},
                                       "from": user_json(chat_id, name), "text": replied[1]}
    return {"id": query_id, "from": user_json(chat_id, name), "chat_instance": f"chat{chat_id}", "data": data,
            "message": message}


class OfflineBotAPI(BaseRequest):
    def __init__(self, username: str = "kefu_assist_bot") -> None:
        self.username = username
        self.calls: list[Call] = []
        self.down = False
        self.unreachable: set[int] = set()  # chats whose sends are refused on connecting
        self.blocked: set[int] = set()  # users who blocked the bot: Telegram answers 403
        # method → the description of a 400 Bad Request it answers, or None: it fails on the network
        self.failing: dict[str, str | None] = {}
        self.refused: list[Call] = []  # calls answered 400 (failing or over Telegram's limits), not in ``calls``
        self.on_call: Callable[[Call], None] | None = None
        self.delay = 0.0  # seconds before every answer
        self.timeout: float | None = None  # how long the client waits for an answer (None: for ever)
        self.retry_after = 1  # seconds, in a 429's answer
        self.faults: dict[str, deque[Fault]] = {}
        self.failed: list[tuple[str, Fault]] = []  # the faults played, in order
        self._message_ids = itertools.count(10_000)
        self.files: dict[str, bytes] = {}  # file_id → content, of the files users sent
        self._file_ids = itertools.count(1)

    def upload(self, content: bytes, file_name: str, mime_type: str = "text/csv",
               size: int | None = None) -> dict[str, Any]:
        """Keep a file a user sends; the ``document`` of its message (``size``: what Telegram reports)."""
        file_id = f"offline-file-{next(self._file_ids)}"
        self.files[file_id] = content
        return {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "mime_type": mime_type,
                "file_size": len(content) if size is None else size}

    def fail(self, method: str, *faults: Fault) -> None:
        """The next calls of ``method`` go wrong this way, one fault each, in order."""
        self.faults.setdefault(method, deque()).extend(faults)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if self.down:
            raise NotSent(f"offline Bot API is down: connection refused ({api_method})")
        if _FILE_URL in url:  # Telegram's file server: …/file/bot<token>/<file_path>
            content = self.files.get(url.split(_FILE_URL, 1)[1].split("/", 1)[1].removeprefix("documents/"))
            return (200, content) if content is not None else (404, b'{"ok":false,"error_code":404}')
        params = dict(request_data.parameters) if request_data else {}
        call = Call(api_method, params)
        if request_data is not None and request_data.contains_files:
            for field_name, (file_name, content, _) in request_data.multipart_data.items():
                call.uploads[field_name] = (file_name, content if isinstance(content, bytes) else content.read())
        if call.chat_id in self.unreachable:
            raise NotSent(f"offline Bot API: chat {call.chat_id} unreachable ({api_method})")
        if api_method in self.failing and self.failing[api_method] is None:
            raise NetworkError(f"offline Bot API: {api_method} fails")
        refusal = self.failing.get(api_method) or over_limits(call, self.files)
        if refusal is not None:
            self.refused.append(call)
            return 400, json.dumps({"ok": False, "error_code": 400, "description": refusal}).encode()
        queued = self.faults.get(api_method)
        fault = queued.popleft() if queued else None
        if fault is not None:
            self.failed.append((api_method, fault))
        if fault in (Fault.REFUSED, Fault.RESET_BEFORE):
            raise NotSent(f"offline Bot API: {fault.value} before the request was written ({api_method})")
        if fault is Fault.FLOOD:
            return 429, json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests: retry later",
                                    "parameters": {"retry_after": self.retry_after}}).encode()
        if fault is Fault.SERVER_ERROR:
            return 500, json.dumps({"ok": False, "error_code": 500, "description": "Internal Server Error"}).encode()
        status, body = self._apply(call)  # Telegram takes the call (every other case)
        if fault is Fault.RESET_AFTER:
            raise NetworkError(f"offline Bot API: connection reset after the request was written ({api_method})")
        if fault is Fault.BAD_GATEWAY:
            return 502, json.dumps({"ok": False, "error_code": 502, "description": "Bad Gateway"}).encode()
        if fault is Fault.TIMEOUT or (self.timeout is not None and self.delay >= self.timeout):
            await asyncio.sleep(self.timeout or 0)
            raise TimedOut(f"offline Bot API: no answer within {self.timeout} s ({api_method})")
        if self.delay:
            await asyncio.sleep(self.delay)
        return status, body

    def _apply(self, call: Call) -> tuple[int, bytes]:
        self.calls.append(call)
        if call.chat_id in self.blocked:
            return 403, json.dumps({"ok": False, "error_code": 403,
                                    "description": "Forbidden: bot was blocked by the user"}).encode()
        call.result = self._result(call)
        if self.on_call is not None:
            self.on_call(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _result(self, call: Call) -> Any:
        if call.method == "getMe":
            return {
                "id": BOT_ID, "is_bot": True, "first_name": "客服助手", "username": self.username,
                "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False,
            }
        if call.method == "getUpdates":
            return []
        if call.method == "getFile":
            file_id = str(call.params.get("file_id"))
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}"}
        if call.method in _MESSAGE_METHODS and call.chat_id is not None:
            message_id = call.params.get("message_id") or next(self._message_ids)
            message: dict[str, Any] = {
                "message_id": message_id, "date": int(time.time()),
                "chat": {"id": call.chat_id, "type": "private"}, "from": BOT_USER,
            }
            if call.text:
                message["text"] = call.text
            if call.method == "sendDocument" and "document" in call.uploads:
                name, content = call.uploads["document"]
                message["document"] = {"file_id": f"sent-{message_id}", "file_unique_id": f"sent-{message_id}",
                                       "file_name": name, "file_size": len(content)}
            return message
        return True

    # Reading what the bot sent, for tests and benchmarks.

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def last(self, chat_id: int | None = None, method: str = "sendMessage") -> Call:
        sent = self.sent(chat_id, method)
        if not sent:
            raise AssertionError(f"the bot made no {method} call" + (f" to {chat_id}" if chat_id else ""))
        return sent[-1]

    def clear(self) -> None:
        self.calls.clear()


def over_limits(call: Call, files: dict[str, bytes] | None = None) -> str | None:
    """What Telegram answers 400 to, for the limits the bot must keep; None when within them."""
    params = call.params
    if call.method == "getFile":
        content = (files or {}).get(str(params.get("file_id")))
        if content is None:
            return "Bad Request: invalid file_id"
        if len(content) > DOWNLOAD_LIMIT:
            return "Bad Request: file is too big"
    if any(len(content) > UPLOAD_LIMIT for _, content in call.uploads.values()):
        return "Request Entity Too Large"
    if call.method in ("sendMessage", "editMessageText"):
        length = _visible_length(params.get("text"), params.get("parse_mode"))
        if length == 0:
            return "Bad Request: message text is empty"
        if length > TEXT_LIMIT:
            return "Bad Request: message is too long"
    if _visible_length(params.get("caption"), params.get("parse_mode")) > CAPTION_LIMIT:
        return "Bad Request: message caption is too long"
    if call.method == "answerCallbackQuery" and len(str(params.get("text") or "")) > ANSWER_LIMIT:
        return "Bad Request: MESSAGE_TOO_LONG"
    buttons = call.buttons()
    if len(buttons) > BUTTON_LIMIT:
        return "Bad Request: REPLY_MARKUP_TOO_LONG"
    if any(len(str(b.get("callback_data", "")).encode()) > DATA_LIMIT for b in buttons):
        return "Bad Request: BUTTON_DATA_INVALID"
    return None


def _visible_length(text: object, parse_mode: object) -> int:
    """Characters after entities parsing, as Telegram counts a text against its limit."""
    if not text:
        return 0
    text = str(text)
    if str(parse_mode).upper() == "HTML":
        text = html.unescape(_TAG.sub("", text))
    return len(text)
