"""The in-process Bot API of local mode: what the bot sends becomes a feed the page reads.

It is :class:`OfflineBotAPI` (answers like the Bot API, never touches the network) plus, per
chat, an ordered feed of what the page must show: messages, edits, photos, button toasts.
Nothing here can reach Telegram.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from telegram.request import RequestData

from bot.telegram.offline import Call, OfflineBotAPI

_SHOWN = {"sendMessage": "message", "sendPhoto": "photo", "editMessageText": "edit",
          "editMessageReplyMarkup": "edit_markup", "deleteMessage": "delete"}


def _markup(call: Call) -> dict[str, Any]:
    markup = call.params.get("reply_markup") or {}
    return markup if isinstance(markup, dict) else {}


class LocalBotAPI(OfflineBotAPI):
    def __init__(self) -> None:
        super().__init__(username="kefu_local_bot")
        self.feed: list[dict[str, Any]] = []
        self.photos: dict[int, bytes] = {}
        self.callback_chats: dict[str, int] = {}  # callback query id → chat, for toasts
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()

    def next_message_id(self) -> int:
        return next(self._message_ids)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        before = len(self.calls)
        answer = await super().do_request(url, method, request_data, *args, **kwargs)
        for call in self.calls[before:]:
            item = self._item(call, request_data)
            if item is not None:
                await self.publish(item)
        return answer

    def _item(self, call: Call, request_data: RequestData | None) -> dict[str, Any] | None:
        if call.method == "answerCallbackQuery":
            chat_id = self.callback_chats.pop(str(call.params.get("callback_query_id")), None)
            text = call.params.get("text")
            return {"chat": chat_id, "kind": "toast", "text": text} if chat_id is not None and text else None
        kind = _SHOWN.get(call.method)
        if kind is None or call.chat_id is None:
            return None
        markup = _markup(call)
        item: dict[str, Any] = {
            "chat": call.chat_id, "kind": kind, "message_id": call.params.get("message_id") or call.message_id,
            "html": call.text, "buttons": markup.get("inline_keyboard", []),
            "force_reply": bool(markup.get("force_reply")),
            "reply_to": (call.params.get("reply_parameters") or {}).get("message_id"),
        }
        if kind == "photo" and request_data is not None:
            for _, content, _ in request_data.multipart_data.values():
                data = content if isinstance(content, bytes) else content.read()
                self.photos[item["message_id"]] = data
        return item

    async def publish(self, item: dict[str, Any]) -> None:
        async with self._changed:
            self.feed.append({"seq": next(self._seq), **item})
            self._changed.notify_all()

    async def since(self, chat_id: int, after: int, timeout: float) -> list[dict[str, Any]]:
        """The chat's feed after ``after``; waits up to ``timeout`` seconds for something new."""
        def pending() -> list[dict[str, Any]]:
            return [i for i in self.feed if i["chat"] == chat_id and i["seq"] > after]

        async with self._changed:
            if not pending():
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(pending())), timeout)
                except TimeoutError:
                    return []
            return pending()
