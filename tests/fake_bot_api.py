"""A Bot API server on loopback (aiohttp): what an outside check drives the bot through.

It speaks enough of the Bot API for long polling: ``getMe``, ``getUpdates`` (held open
until an update is queued, like Telegram), ``sendMessage`` and friends recorded and
answered. Tests queue updates as Telegram's JSON and read what the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from aiohttp import web

from bot.telegram.offline import Call, over_limits

BOT = {"id": 7000000002, "is_bot": True, "first_name": "客服助手", "username": "kefu_test_bot"}


class FakeBotAPI:
    def __init__(self, token: str) -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(50_000)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.on_sent = None  # called with (method, params) for each call the bot makes
        self.delay = 0.0  # seconds before answering a call other than getMe/getUpdates (taken at once)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def push(self, message_or_callback: dict[str, Any]) -> None:
        self.updates.append({"update_id": next(self._update_ids), **message_or_callback})
        self._new_update.set()

    def texts_to(self, chat_id: int) -> list[str]:
        return [p.get("text", "") for m, p in self.sent if m == "sendMessage" and int(p["chat_id"]) == chat_id]

    async def wait_for_text(self, chat_id: int, count: int, timeout: float = 20.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.texts_to(chat_id)) >= count:
                return self.texts_to(chat_id)
            await asyncio.sleep(0.05)
        raise AssertionError(f"{chat_id} got {self.texts_to(chat_id)!r}, expected {count} messages")

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {k: _decode(v) for k, v in (await request.post()).items()}
        result = await self._answer(method, params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if not pending:
                self._new_update.clear()
                try:
                    await asyncio.wait_for(self._new_update.wait(), timeout=min(float(params.get("timeout") or 0), 1.0))
                except TimeoutError:
                    pass
                pending = [u for u in self.updates if u["update_id"] >= offset]
            return pending
        refusal = over_limits(Call(method, params))  # Telegram's limits, as the offline Bot API keeps them
        if refusal is not None:
            return web.json_response({"ok": False, "error_code": 400, "description": refusal}, status=400)
        self.sent.append((method, params))
        if self.on_sent is not None:
            self.on_sent(method, params)
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow Telegram: the call is taken, the answer comes late
        if method in ("sendMessage", "editMessageText"):
            return {
                "message_id": params.get("message_id") or next(self._message_ids), "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"}, "from": BOT, "text": params.get("text", ""),
            }
        return True


def _decode(value: Any) -> Any:
    if isinstance(value, web.FileField):  # an upload: kept as bytes (the request's file closes)
        return value.file.read()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
