"""The bot's parts on their own: settings, texts, update ordering, retries, event buffering."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Callable
import re
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.config import Settings
from bot.events import EventLog, EventType, event
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.models import Event, Person
from bot.telegram.resilience import NotSent, RetryingRateLimiter
from bot.telegram.updates import PerChatUpdateProcessor
from bot.texts import ZH, t

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("given", "used"), [
    ("https://api.telegram.org/bot", "https://api.telegram.org/bot"),
    ("http://127.0.0.1:8081", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot"),
    ("http://proxy/tg/bot{token}/test", "http://proxy/tg/bot{token}/test"),
])
def test_the_bot_api_base_url(given: str, used: str) -> None:
    assert Settings(_env_file=None, telegram_api_base_url=given).bot_api_base_url == used  # type: ignore[call-arg]


@pytest.mark.parametrize(("setting", "value"), [
    ("order_remark_format", "{note}"), ("order_number_pattern", "(["), ("order_flag_colour", 6),
    ("shop_timezone", "Mars/Olympus"),
])
def test_bad_settings_are_refused_with_the_setting_named(setting: str, value: object) -> None:
    with pytest.raises(ValueError, match=setting):
        Settings(_env_file=None, **{setting: value})  # type: ignore[arg-type]


def _text_keys_used() -> set[str]:
    keys = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("t", "UserError", "Wrong", "Text", "Usage") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
    return keys


def test_every_text_the_code_uses_exists() -> None:
    used = _text_keys_used()
    assert len(used) > 50
    assert used - ZH.keys() == set()


def test_values_are_escaped_for_telegram_html() -> None:
    assert t("start.again", name="<b>&") == "&lt;b&gt;&amp;，您好！发送 /help 查看我能帮您做什么。"
    for key, template in ZH.items():
        names = [n for _, n, _, _ in string.Formatter().parse(template) if n]
        assert all(re.fullmatch(r"[a-z_]+", n) for n in names), key


async def test_updates_of_one_chat_keep_their_order_and_chats_run_side_by_side() -> None:
    processor = PerChatUpdateProcessor()
    finished: list[str] = []

    async def work(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    def update(chat_id: int) -> Update:
        return Update.de_json({"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": "x"}}, None)

    await asyncio.gather(
        processor.process_update(update(1), work("a1 slow", 0.2)),
        processor.process_update(update(1), work("a2 fast", 0.0)),
        processor.process_update(update(2), work("b1", 0.05)),
    )
    assert finished == ["b1", "a1 slow", "a2 fast"]
    assert not processor._locks  # nothing kept for idle chats


async def test_only_what_never_reached_telegram_is_retried_and_answers_are_not() -> None:
    limiter = RetryingRateLimiter(overall_max_rate=0, network_retries=2, first_backoff=0.01)
    attempts: list[str] = []

    def failing(times: int, error: Exception) -> Any:
        async def call(*args: Any, **kwargs: Any) -> bool:
            attempts.append(type(error).__name__)
            if len(attempts) <= times:
                raise error
            return True
        return call

    async def send(callback: Any, method: str = "sendMessage") -> Any:
        return await limiter.process_request(callback, (), {}, method, {"chat_id": 1}, None)

    assert await send(failing(2, NotSent("connection refused"))) is True and len(attempts) == 3
    attempts.clear()
    with pytest.raises(NotSent):
        await send(failing(5, NotSent("connection refused")))
    assert len(attempts) == 3
    # written, then no answer (a timeout, a reset, a 5xx): Telegram may have sent it — not repeated
    for error in (TimedOut(), NetworkError("Bad Gateway"), NetworkError("connection reset")):
        attempts.clear()
        with pytest.raises(NetworkError):
            await send(failing(5, error))
        assert len(attempts) == 1
    attempts.clear()  # … unless repeating it does nothing twice
    assert await send(failing(1, TimedOut()), "setMyCommands") is True and len(attempts) == 2
    attempts.clear()
    with pytest.raises(BadRequest):
        await send(failing(5, BadRequest("chat not found")))
    assert attempts == ["BadRequest"]


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.001)):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition not reached")


async def test_buffered_events_are_written_and_kept_when_the_write_fails(sqlite_url: str) -> None:
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    log = EventLog(db, delay=0.05)
    member = Member(id=1, telegram_id=1, name="x", role=Role.AGENT, team="T1", agent_id="A1")
    log.record([event(EventType.DRAFT_CHECKED, member, datetime.now(UTC), detail="ok")])  # person 1 missing: FK fails
    await _until(lambda: log._waiting and len(log._pending) == 1)  # failed, kept, next attempt asleep
    async with db.transaction() as repos:
        repos.session.add(Person(id=1, telegram_id=1, name="x", role="agent", team="T1"))
    await _until(lambda: not log._waiting)  # the next attempt is writing: close() must not cancel it
    await log.close()
    async with db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(Event)) == 1
    await db.close()


def test_long_lists_split_into_messages_on_whole_lines() -> None:
    from bot.texts import split_message

    lines = [f"{i:04d} " + "慧" * 95 for i in range(100)]
    messages = split_message(lines)
    assert len(messages) == 3 and all(len(m) <= 4096 for m in messages)
    assert "\n".join(messages).splitlines() == lines


def test_a_message_cut_like_its_widest_form_keeps_its_lines_in_the_same_parts() -> None:
    from bot.texts import split_message

    lines = [f"{i:04d} " + "慧" * 95 for i in range(100)]
    widest = ["✔ " + line for line in lines]  # every line grown by a mark
    shown, marked = split_message(lines, like=widest), split_message(widest, like=widest)
    assert len(shown) == len(marked) == 3 and all(len(m) <= 4096 for m in marked)
    assert [len(m.splitlines()) for m in shown] == [len(m.splitlines()) for m in marked]
    assert [len(m.splitlines()) for m in split_message(lines)] != [len(m.splitlines()) for m in shown]


@pytest.mark.parametrize(("text", "limit", "shown"), [
    ("tb_小王 等退款到账", 16, "tb_小王 等退款到账"),  # fits: whole
    ("顾客说收到的杯子碎了要求补发", 12, "顾客说收到的杯子碎了要…"),  # no break in the second half: between characters
    ("SF123 快递破损 今天必须补发", 16, "SF123 快递破损…"),  # after the space
    ("李女士 等换货单号，明天上午给她回电话", 16, "李女士 等换货单号…"),  # after the comma, the comma dropped
    ("客户问 SF1234567890 物流", 12, "客户问…"),  # never inside a tracking number
    ("订单3812345678901234567 客户要求改地址", 16, "订单…"),  # nor inside an order number
    ("abcdefghijklmnopqrstuvwxyz", 12, "abcdefghijk…"),  # one word from the start: cut
    ("  打印机   没纸了 ", 16, "打印机 没纸了"),  # spaces folded
])
def test_shortened_texts_end_on_a_boundary_with_an_ellipsis(text: str, limit: int, shown: str) -> None:
    from bot.texts import shorten

    assert shorten(text, limit) == shown and len(shown) <= limit
