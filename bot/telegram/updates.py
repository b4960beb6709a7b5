"""Updates handled concurrently across chats, in order within a chat.

An agent who sends two drafts in a row must get the verdicts in that order; fifty agents
must not wait for each other. PTB's update processor is the documented place for this: a
lock per chat (FIFO in asyncio), dropped as soon as nobody holds or waits for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    __slots__ = ("_locks", "_holders", "_observe")

    def __init__(self, max_concurrent_updates: int = 256, observe: Callable[[float], None] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        self._observe = observe  # told each update's seconds from taken up to handled (metrics)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await self._in_order(update, coroutine)
        finally:
            if self._observe is not None:
                self._observe(time.perf_counter() - started)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] = self._holders.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:
                del self._holders[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
