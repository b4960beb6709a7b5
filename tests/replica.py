"""A webhook replica in the test's event loop, over the offline Bot API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services import Services
from bot.storage.migrate import upgrade_async
from bot.telegram.offline import OfflineBotAPI, message_json
from bot.telegram.webhook import SECRET_HEADER, serve_webhook
from tests.bot_harness import settings_for

SECRET = "test-secret_42"
PATH = "/telegram"


@dataclass
class Replica:
    base: str
    api: OfflineBotAPI
    services: Services

    @property
    def url(self) -> str:
        return self.base + PATH


def update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": message_json(user_id, text, message_id=update_id)}


HEADERS = {SECRET_HEADER: SECRET}
# The replicas' own clock (their sweeps): pinned, so that no test depends on the day it runs.
NOW = datetime(2026, 11, 24, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@asynccontextmanager
async def replica(url: str, clock: Callable[[], datetime] = lambda: NOW, **overrides: Any) -> AsyncIterator[Replica]:
    await upgrade_async(url)
    values = {"telegram_webhook_url": f"https://bot.example{PATH}", "telegram_webhook_secret": SECRET,
              "webhook_port": 0, "outbox_poll_seconds": 3600, "scheduler_seconds": 3600, **overrides}
    services = Services.create(settings_for(url, **values), clock=clock)
    api = OfflineBotAPI()
    started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(services, stop=stop, started=started, request=api))
    await asyncio.wait({started, task}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # the replica failed to start: raise its error
    port = started.result()
    try:
        yield Replica(f"http://127.0.0.1:{port}", api, services)
    finally:
        stop.set()
        await task


async def replies(api: OfflineBotAPI, chat_id: int, count: int, timeout: float = 5.0) -> list[str]:
    """Wait until ``chat_id`` got ``count`` messages (and a little longer, to see any extra)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(api.sent(chat_id)) < count:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    return [c.text for c in api.sent(chat_id)]


async def post(http: Any, url: str, body: dict[str, Any], headers: dict[str, str] = HEADERS) -> tuple[int, str | None]:
    """Post an update as Telegram does: the status, and the text of a sendMessage the replica
    answered with (the draft's verdict, when it rides on the answer)."""
    async with http.post(url, json=body, headers=headers) as res:
        if res.status == 200 and res.content_type == "application/json":
            call = await res.json()
            assert call["method"] == "sendMessage" and call["reply_parameters"]["message_id"] == body["update_id"]
            return res.status, call["text"]
        return res.status, None
