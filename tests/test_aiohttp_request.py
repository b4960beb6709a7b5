"""The aiohttp request class against a Bot API server on loopback: text, buttons, a photo, errors
— and whether a failed request may have reached Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.resilience import NotSent
from tests.fake_bot_api import FakeBotAPI

TOKEN = "777:AIOHTTP"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200


async def test_messages_and_photos_reach_the_bot_api() -> None:
    api = FakeBotAPI(TOKEN)
    base = await api.start()
    try:
        async with Bot(TOKEN, base_url=base + "/bot", request=AiohttpRequest()) as bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("已备注 ✅", callback_data="tag:1")]])
            message = await bot.send_message(1001, "<b>订单</b> 已记录", parse_mode="HTML", reply_markup=keyboard)
            await bot.send_photo(1001, PNG, caption="日报图表")
        (method, params), (photo_method, photo_params) = api.sent
        assert (method, params["text"], params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]) == (
            "sendMessage", "<b>订单</b> 已记录", "tag:1")
        assert message.text == "<b>订单</b> 已记录"
        assert photo_method == "sendPhoto" and photo_params["caption"] == "日报图表"
        assert photo_params["photo"] == PNG
    finally:
        await api.stop()


async def test_an_unreachable_bot_api_is_a_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NotSent):  # connection refused: nothing was written, safe to repeat
            await request.do_request("http://127.0.0.1:9/bot1:x/getMe", "POST")
    finally:
        await request.shutdown()


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Coroutine[Any, Any, None]]


@asynccontextmanager
async def raw_server(handle: Handler) -> AsyncIterator[str]:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/bot1:x/sendMessage"
    finally:
        server.close()


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)


async def _taken_then_reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)  # Telegram has the whole request …
    writer.transport.abort()  # … and the connection drops before the answer


async def _taken_then_slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    await asyncio.sleep(2)
    writer.close()


@pytest.mark.parametrize(("handle", "raised"), [(_taken_then_reset, NetworkError), (_taken_then_slow, TimedOut)])
async def test_a_request_that_reached_the_server_is_never_called_not_sent(handle: Handler, raised: type) -> None:
    request = AiohttpRequest(read_timeout=0.3, write_timeout=0.3)
    await request.initialize()
    body = RequestData([RequestParameter("chat_id", 1, None), RequestParameter("text", "你好", None)])
    try:
        async with raw_server(handle) as url:
            with pytest.raises(raised) as caught:
                await request.do_request(url, "POST", body)
        assert not isinstance(caught.value, NotSent)  # it may have been applied: not repeated
    finally:
        await request.shutdown()


class ForwardProxy:
    """A proxy on loopback: forwards plain-HTTP requests to ``upstream`` whatever host they name,
    and records (then refuses) CONNECT tunnels — enough to see which requests took it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.seen: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        import aiohttp
        from yarl import URL

        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ")
        self.seen.append(f"{method} {target}")
        if method == "CONNECT":
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        headers = dict(line.split(": ", 1) for line in head[1:] if line)
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        body = await reader.readexactly(length)
        url = URL(self.upstream).with_path(URL(target).path)
        async with aiohttp.ClientSession() as session, session.request(
                method, url, data=body, headers={"Content-Type": headers.get("Content-Type", "")}) as answer:
            content = await answer.read()
        writer.write(f"HTTP/1.1 {answer.status} OK\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n".encode() + content)
        await writer.drain()
        writer.close()


@asynccontextmanager
async def forward_proxy(upstream: str) -> AsyncIterator[tuple[ForwardProxy, str]]:
    proxy = ForwardProxy(upstream)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    try:
        yield proxy, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()


async def test_sends_go_through_the_proxy_the_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeBotAPI(TOKEN)
    base = await api.start()
    try:
        async with forward_proxy(base) as (proxy, proxy_url):
            for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy"):
                monkeypatch.delenv(name, raising=False)
            monkeypatch.setenv("HTTP_PROXY", proxy_url)
            # a host that resolves nowhere: only the proxy can reach it
            async with Bot(TOKEN, base_url="http://api.telegram.invalid/bot", request=AiohttpRequest()) as bot:
                await bot.send_message(1001, "走代理")
        assert api.sent[-1][0] == "sendMessage" and api.sent[-1][1]["text"] == "走代理"
        assert f"POST http://api.telegram.invalid/bot{TOKEN}/sendMessage" in proxy.seen
    finally:
        await api.stop()


async def test_https_to_telegram_asks_the_https_proxy_for_a_tunnel(monkeypatch: pytest.MonkeyPatch) -> None:
    async with forward_proxy("http://127.0.0.1:9") as (proxy, proxy_url):
        for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", proxy_url)
        request = AiohttpRequest()
        await request.initialize()
        try:
            with pytest.raises(NotSent):  # the proxy refused the tunnel: nothing reached Telegram
                await request.do_request(f"https://api.telegram.org/bot{TOKEN}/getMe", "POST")
        finally:
            await request.shutdown()
    assert proxy.seen == ["CONNECT api.telegram.org:443"]
