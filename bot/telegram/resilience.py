"""Telegram being slow or failing: rate limits, and retrying only what is safe to repeat.

:class:`AIORateLimiter` keeps within Telegram's limits and waits out ``RetryAfter`` (a 429:
Telegram did nothing, so the request is repeated after ``retry_after``). On top, a request
that failed on the network is retried with exponential backoff **only when repeating it
cannot do a thing twice**:

- :class:`NotSent` — the request never left this process: connection refused, DNS, a
  connect timeout, a connection reset before the request was written. Telegram saw nothing;
  any method is repeated.
- anything else (:class:`~telegram.error.TimedOut` after the request was written, a
  connection lost while waiting for the answer, a 5xx) may have been applied by Telegram.
  A 500 is the Bot API failing *while* handling the call, a 502/504 is Telegram's front
  giving up on a Bot API server that may still finish it: neither says the message was not
  sent. Only methods that change nothing or set a state (``getMe``, ``setMyCommands``,
  ``setWebhook`` …, :data:`REPEATABLE`) are repeated then; a send, an edit or a callback
  answer is not (a second ``sendMessage`` is a duplicate, a second edit or answer a 400).

``BadRequest`` and ``Forbidden`` are answers, not failures, and are not retried.
``getUpdates`` has its own retry loop in the updater and is left to it, and so is a send
that passes ``rate_limit_args=NO_RETRIES`` (the outbox settles failures in the database).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]
# The outbox's sends: no retry of any kind here (it settles each failure in the database, and a
# send must stay well inside its claim, so no waiting out a 429 either).
NO_RETRIES = {"network_retries": 0, "flood_retries": 0}
# Methods whose repetition does nothing twice (reads, or setting a state to the same value).
REPEATABLE = frozenset({
    "getMe", "getMyCommands", "setMyCommands", "deleteMyCommands", "setChatMenuButton", "getChatMenuButton",
    "setWebhook", "deleteWebhook", "getWebhookInfo", "getChat", "getFile", "setMyDescription",
    "setMyShortDescription", "setMyName",
})


class NotSent(NetworkError):
    """The request failed before it was written: Telegram never saw it, repeating it is safe."""


class _NotWaited(TelegramError):
    """Carries a 429 past the parent class's wait-and-retry loop (``flood_retries: 0``)."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(error.message)
        self.error = error


def safe_to_repeat(endpoint: str, error: NetworkError) -> bool:
    """Whether a request that failed with ``error`` can be sent again without doing it twice."""
    return isinstance(error, NotSent) or endpoint in REPEATABLE


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
            if rate_limit_args.get("flood_retries", 1) == 0:
                callback = _raising_retry_after(callback)
            rate_limit_args = None
        attempt = 0
        while True:
            counted = self.overall if self.overall is not None and data.get("chat_id") is not None else nullcontext()
            try:
                async with counted:
                    return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except _NotWaited as error:
                raise error.error from None
            except NetworkError as error:
                if endpoint == "getUpdates" or attempt >= retries or not safe_to_repeat(endpoint, error):
                    raise
                delay = self.first_backoff * 2**attempt
                attempt += 1
                log.warning("%s failed (%s); retry %d/%d in %.1fs", endpoint, error, attempt, retries, delay)
                await asyncio.sleep(delay)


def _raising_retry_after(callback: Callable[..., Coroutine[Any, Any, JSON]]) -> Callable[..., Coroutine[Any, Any, JSON]]:
    async def once(*args: Any, **kwargs: Any) -> JSON:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            raise _NotWaited(error) from error

    return once
