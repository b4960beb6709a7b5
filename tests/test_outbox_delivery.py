"""The outbox and direct replies against a Bot API that is slow or fails (SQLite files, the real
``Application``, the offline Bot API): what may have reached Telegram is never sent again,
what never left is sent once, and queueing twice never costs the caller its transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.outbox import Outgoing, queue
from bot.roster.roles import Role
from bot.storage.models import Event, OutboxMessage
from bot.telegram.offline import Fault
from tests.bot_harness import BotHarness, ManualClock

ADMIN, AGENT = 9001, 1001
QUIET = {"outbox_poll_seconds": 3600, "scheduler_seconds": 3600}  # the tests run the jobs themselves
START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, clock=ManualClock(START), **QUIET)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    await harness.add(AGENT, "慧兰", Role.AGENT, agent_id="A07")
    try:
        yield harness
    finally:
        await harness.stop()


def clock_of(bot: BotHarness) -> ManualClock:
    assert isinstance(bot.services.clock, ManualClock)
    return bot.services.clock


async def queue_one(bot: BotHarness, text: str, ref: int = 1) -> None:
    async with bot.services.db.transaction() as repos:
        await queue(repos, [Outgoing(AGENT, "test_notice", ref, text)], bot.services.now())


async def passes(bot: BotHarness, count: int, **advance: float) -> None:
    """``count`` outbox passes, the clock moved by ``advance`` before each."""
    for _ in range(count):
        clock_of(bot).advance(**advance)
        await bot.deliver()


def texts_to(bot: BotHarness, chat_id: int) -> list[str]:
    return [c.text for c in bot.api.sent(chat_id)]


@pytest.mark.parametrize("fault", [Fault.TIMEOUT, Fault.RESET_AFTER, Fault.BAD_GATEWAY, Fault.SERVER_ERROR])
async def test_a_send_without_an_answer_is_uncertain_and_never_sent_again(bot: BotHarness, fault: Fault) -> None:
    await queue_one(bot, "交接提醒")
    bot.api.fail("sendMessage", fault)
    await passes(bot, 6, minutes=10)  # the old code sent it again after each backoff
    applied = 0 if fault is Fault.SERVER_ERROR else 1  # the offline API: a 500 did nothing, the others did
    assert texts_to(bot, AGENT) == ["交接提醒"] * applied
    told = [text for text in texts_to(bot, ADMIN) if "没有等到" in text]
    assert len(told) == 1 and str(AGENT) in told[0]  # the admins hear of it once
    status = (await bot.send(ADMIN, "/outbox"))[-1].text
    assert "不确定是否送达：1 条" in status and "交接提醒" in status


@pytest.mark.parametrize("fault", [Fault.REFUSED, Fault.RESET_BEFORE])
async def test_a_send_that_never_left_is_tried_again_and_delivered_once(bot: BotHarness, fault: Fault) -> None:
    await queue_one(bot, "交接提醒")
    bot.api.fail("sendMessage", fault)
    await bot.deliver()
    assert texts_to(bot, AGENT) == []  # backing off
    await passes(bot, 4, seconds=5)
    assert texts_to(bot, AGENT) == ["交接提醒"]
    assert "不确定是否送达：0 条" in (await bot.send(ADMIN, "/outbox"))[-1].text


async def test_a_429_puts_the_message_back_until_retry_after(bot: BotHarness) -> None:
    await queue_one(bot, "交接提醒")
    bot.api.retry_after = 2
    bot.api.fail("sendMessage", Fault.FLOOD)
    await bot.deliver()  # the old code waited the 2 s out inside the send and sent it in this pass
    assert texts_to(bot, AGENT) == []
    await passes(bot, 1, seconds=1)
    assert texts_to(bot, AGENT) == []  # retry_after not yet over
    await passes(bot, 3, seconds=2)
    assert texts_to(bot, AGENT) == ["交接提醒"]


async def test_a_direct_reply_that_timed_out_is_not_sent_again(bot: BotHarness) -> None:
    bot.api.delay, bot.api.timeout = 0.2, 0.05  # Telegram takes every call, answers too late
    await bot.send(AGENT, "这款我们不补货了")
    verdicts = texts_to(bot, AGENT)  # the old code retried it 5 times: 6 verdicts
    assert len(verdicts) == 1 and "工厂不再生产了" in verdicts[0]
    assert not bot.api.sent(ADMIN)  # no traceback for a slow Telegram


async def test_a_direct_reply_whose_connection_was_refused_is_retried_and_delivered_once(bot: BotHarness) -> None:
    bot.api.fail("sendMessage", Fault.REFUSED, Fault.RESET_BEFORE)
    await bot.send(AGENT, "这款我们不补货了")
    verdicts = texts_to(bot, AGENT)
    assert len(verdicts) == 1 and "工厂不再生产了" in verdicts[0]


async def test_the_reminder_limit_holds_with_a_slow_bot_api(sqlite_url: str) -> None:
    clock = ManualClock(START)
    bot = await BotHarness.start(sqlite_url, clock=clock, order_reminder_delay_seconds=60,
                                 order_reminder_repeat_seconds=60, order_reminder_max=3, **QUIET)
    try:
        await bot.add(AGENT, "慧兰", Role.AGENT, agent_id="A07")
        await bot.send(AGENT, "/order 3812345678901234567 赠品已备注")
        bot.api.delay, bot.api.timeout = 0.2, 0.05  # every send taken by Telegram, every answer too late
        for _ in range(8):
            clock.advance(seconds=61)
            await bot.sweep()
        reminders = [text for text in texts_to(bot, AGENT) if "3812345678901234567" in text][1:]
        assert len(reminders) == 3  # the old code: every timed-out reminder sent again, 8 and more
    finally:
        await bot.stop()


async def test_queueing_a_message_already_queued_keeps_the_callers_other_writes(bot: BotHarness) -> None:
    at = bot.services.now()
    notice = Outgoing(AGENT, "test_notice", 1, "交接提醒")
    async with bot.services.db.transaction() as repos:
        assert await queue(repos, [notice], at) == 1
        assert await queue(repos, [notice, notice], at) == 0
        await repos.events.add_all([{"type": "report_sent", "person_id": None, "team": "T1", "at": at,
                                     "subject": "kept", "detail": None, "order_id": None}])
    async with bot.services.db.transaction() as repos:
        assert await queue(repos, [notice], at) == 0  # in a later transaction too
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert await repos.session.scalar(select(func.count()).select_from(Event).where(Event.subject == "kept")) == 1
