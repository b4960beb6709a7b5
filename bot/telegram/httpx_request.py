"""python-telegram-bot's httpx request class, telling a request that never left from one that may
have arrived (``TELEGRAM_HTTP_CLIENT=httpx``): a failure to connect, a connect or pool timeout
raise :class:`NotSent` (safe to repeat); anything later stays ``TimedOut`` / ``NetworkError``."""

from __future__ import annotations

from typing import Any

import httpx
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot.telegram.resilience import NotSent

_BEFORE_WRITING = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class ClassifyingHTTPXRequest(HTTPXRequest):
    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            return await super().do_request(*args, **kwargs)
        except NetworkError as error:
            if isinstance(error.__cause__, _BEFORE_WRITING):
                raise NotSent(f"{error.message} (before the request was written)") from error.__cause__
            raise
