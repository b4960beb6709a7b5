"""Telegram being slow or failing loses nothing: rate limits and retries in one place.

:class:`AIORateLimiter` keeps within Telegram's limits and waits out ``RetryAfter``; on top,
a request that failed on the network (timeout, connection refused) is retried with
exponential backoff. ``BadRequest`` and ``Forbidden`` are answers, not failures, and are not
retried. ``getUpdates`` has its own retry loop in the updater and is left to it, and so is
a send that passes ``rate_limit_args=NO_RETRIES`` (the outbox retries from the database).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]
NO_RETRIES = {"network_retries": 0}


class RetryingRateLimiter(AIORateLimiter):
    """PTB's limiter (RetryAfter, group limits) with network retries, and the overall limit
    kept here (the same rule as PTB's: requests to a chat count) so that a message sent
    another way — the verdict in a webhook's answer — can take its share: :meth:`take_now`."""

    def __init__(self, *, overall_max_rate: float, network_retries: int, first_backoff: float = 0.5) -> None:
        super().__init__(overall_max_rate=0, overall_time_period=1, max_retries=3)
        self.overall = AsyncLimiter(overall_max_rate, 1) if overall_max_rate > 0 else None
        self.network_retries = network_retries
        self.first_backoff = first_backoff

    async def take_now(self) -> bool:
        """Count one message against the overall limit if that needs no wait; False if it would."""
        if self.overall is None:
            return True
        if not self.overall.has_capacity():
            return False
        await self.overall.acquire()  # returns at once: there is capacity
        return True

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | dict[str, int] | None,
    ) -> JSON:
        retries = self.network_retries
        if isinstance(rate_limit_args, dict):
            retries = rate_limit_args.get("network_retries", retries)
            rate_limit_args = None
        attempt = 0
        while True:
            counted = self.overall if self.overall is not None and data.get("chat_id") is not None else nullcontext()
            try:
                async with counted:
                    return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as error:
                if endpoint == "getUpdates" or attempt >= retries:
                    raise
                delay = self.first_backoff * 2**attempt
                attempt += 1
                log.warning("%s failed (%s); retry %d/%d in %.1fs", endpoint, error, attempt, retries, delay)
                await asyncio.sleep(delay)
