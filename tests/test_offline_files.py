"""The offline Bot API's files, as Telegram serves them: a user's document fetched with getFile
and downloaded; a document the bot uploads; Telegram's size limits refused the way it refuses them."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.telegram.offline import DOWNLOAD_LIMIT, UPLOAD_LIMIT, OfflineBotAPI


@pytest.fixture
async def bot_and_api() -> AsyncIterator[tuple[Bot, OfflineBotAPI]]:
    api = OfflineBotAPI()
    bot = Bot("123456:OFFLINE-TEST", request=api, get_updates_request=api)
    await bot.initialize()
    yield bot, api
    await bot.shutdown()


async def test_a_users_document_is_fetched_and_downloaded(bot_and_api: tuple[Bot, OfflineBotAPI]) -> None:
    bot, api = bot_and_api
    content = "时间,买家,发送方,内容\n".encode("gbk")
    document = api.upload(content, "聊天记录.csv")
    file = await bot.get_file(document["file_id"])
    assert file.file_size == len(content) and file.file_path
    buffer = io.BytesIO()
    await file.download_to_memory(buffer)
    assert buffer.getvalue() == content


async def test_the_bot_uploads_a_document(bot_and_api: tuple[Bot, OfflineBotAPI]) -> None:
    bot, api = bot_and_api
    sent = await bot.send_document(1, b'{"conversation": "c1"}\n', filename="会话.jsonl", caption="每个会话一行")
    assert sent.document is not None and sent.document.file_name == "会话.jsonl"
    assert api.last(1, "sendDocument").uploads["document"] == ("会话.jsonl", b'{"conversation": "c1"}\n')


@pytest.mark.parametrize(("call", "refusal"), [
    (lambda bot, api: bot.get_file(api.upload(b"x" * (DOWNLOAD_LIMIT + 1), "big.csv")["file_id"]), "too big"),
    (lambda bot, api: bot.get_file("no-such-file"), "(?i)invalid file_id"),
    (lambda bot, api: bot.send_document(1, b"x", filename="a.jsonl", caption="字" * 1025), "caption is too long"),
    (lambda bot, api: bot.send_document(1, b"x" * (UPLOAD_LIMIT + 1), filename="a.jsonl"), "Too Large"),
])
async def test_what_telegram_refuses_is_refused(bot_and_api: tuple[Bot, OfflineBotAPI], call, refusal: str) -> None:  # type: ignore[no-untyped-def]
    bot, api = bot_and_api
    with pytest.raises(BadRequest, match=refusal):
        await call(bot, api)
    assert not [c for c in api.calls if c.method in ("getFile", "sendDocument")]


async def test_a_file_at_the_limit_is_served(bot_and_api: tuple[Bot, OfflineBotAPI]) -> None:
    bot, api = bot_and_api
    file = await bot.get_file(api.upload(b"x" * DOWNLOAD_LIMIT, "edge.csv")["file_id"])
    assert file.file_size == DOWNLOAD_LIMIT
