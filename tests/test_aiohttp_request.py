"""The aiohttp request class against a Bot API server on loopback: text, buttons, a photo, errors."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError

from bot.telegram.aiohttp_request import AiohttpRequest
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
        with pytest.raises(NetworkError):
            await request.do_request("http://127.0.0.1:9/bot1:x/getMe", "POST")
    finally:
        await request.shutdown()
