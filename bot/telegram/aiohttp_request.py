"""A Bot API request class on aiohttp's client (``TELEGRAM_HTTP_CLIENT=aiohttp``).

python-telegram-bot ships one on httpx; under load a webhook replica spent ~40% of its CPU
inside httpx sending replies (measured with py-spy). aiohttp's client, already a dependency
for the servers, does the same with less work per request.

A failure says whether the request was written: one that failed before (connection refused,
a connect or pool timeout, a connection reset before the headers went out) raises
:class:`NotSent` — safe to repeat; after, it raises ``TimedOut`` or ``NetworkError``, and
Telegram may have acted on it. aiohttp itself repeats a request on a dropped keep-alive
connection only for idempotent HTTP methods; the Bot API is POST, so it never does.

``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` are honoured (``trust_env``), as by the httpx
client: many shops in mainland China reach Telegram only through a proxy.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.resilience import NotSent

JSON_HEADERS = {"Content-Type": "application/json"}


async def _written(_session: Any, context: SimpleNamespace, _params: Any) -> None:
    context.trace_request_ctx.written = True


def _tracing() -> aiohttp.TraceConfig:
    """Marks a request once its headers are handed to the socket (from then on, it may arrive)."""
    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(_written)
    trace.on_request_chunk_sent.append(_written)
    return trace


class AiohttpRequest(BaseRequest):
    def __init__(self, pool_size: int = 16, read_timeout: float = 5.0, connect_timeout: float = 5.0,
                 write_timeout: float = 5.0, media_write_timeout: float = 20.0) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._write_timeout = write_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size), headers={"User-Agent": self.USER_AGENT},
                trace_configs=[_tracing()], trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data and request_data.contains_files else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = (self._media_write_timeout if files else self._write_timeout) \
            if isinstance(write_timeout, DefaultValue) else write_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        timeout = aiohttp.ClientTimeout(total=None, connect=connect, sock_connect=connect,
                                        sock_read=max(read or 0, write or 0) or None)
        data: Any = None
        headers = None
        if request_data is not None and files:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            data = form
        elif request_data is not None:
            # A JSON body (the Bot API takes one): 14 µs to build where a urlencoded form took
            # 150 µs (measured), in sending replies, a replica's largest cost under load (py-spy).
            data, headers = json.dumps(request_data.parameters).encode(), JSON_HEADERS
        sent = SimpleNamespace(written=False)
        try:
            async with self._session.request(method, url, data=data, headers=headers, timeout=timeout,
                                             trace_request_ctx=sent) as response:
                return response.status, await response.read()
        except aiohttp.ClientConnectorError as error:  # refused, unreachable, DNS: nothing written
            raise NotSent(f"aiohttp.{error.__class__.__name__}: {error}") from error
        except asyncio.TimeoutError as error:
            if isinstance(error, aiohttp.ConnectionTimeoutError) or not sent.written:
                raise NotSent(f"timed out before the request was written: {error!r}") from error
            raise TimedOut from error
        except aiohttp.ClientError as error:
            if not sent.written:
                raise NotSent(f"aiohttp.{error.__class__.__name__} before the request was written: {error}") from error
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error
