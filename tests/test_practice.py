"""Practice mode: grading tables, and a whole practice through the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge.store import LoadedKnowledge
from bot.practice.grading import Grader
from bot.practice.scenarios import Scenario
from tests.bot_harness import KNOWLEDGE, BotHarness

LOADED = LoadedKnowledge.from_directory(KNOWLEDGE)
GRADER = Grader(LOADED.knowledge, LOADED.checker)
LATE = Scenario("late", "快递延迟", ("在吗？东西还没到！", "什么时候到？"), needs_apology=True)
PRICE = Scenario("price", "砍价", ("能便宜点吗？",), needs_apology=False)


@pytest.mark.parametrize(("scenario", "replies", "points", "greeted", "apologised"), [
    (LATE, ["亲，您好！非常抱歉让您久等了", "我马上帮您催一下快递"], 100, True, True),
    (LATE, ["在的", "我马上帮您催一下快递"], 50, False, False),  # no greeting, no apology
    (LATE, ["您好，不好意思让您着急了", "这不是我们的问题"], 70, True, True),  # a banned phrase
    (PRICE, ["您好，这已经是活动最低价了哦"], 100, True, False),  # no apology needed
    (PRICE, ["喂，不能便宜"], 50, False, False),  # banned (-30), no greeting (-20)
])
def test_grading(scenario: Scenario, replies: list[str], points: int, greeted: bool, apologised: bool) -> None:
    score = GRADER.score(scenario, replies)
    assert (score.points, score.greeted, score.apologised) == (points, greeted, apologised)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url)
    await harness.add(1001, "新人", agent_id="N01")
    yield harness
    await harness.stop()


async def test_a_whole_practice_through_the_bot(bot: BotHarness) -> None:
    await bot.send(1001, "/practice")
    menu = bot.api.last(1001)
    assert "上机练习" in menu.text and any(b["callback_data"] == "pr:late_delivery" for b in menu.buttons())
    await bot.press(1001, menu, "pr:late_delivery")
    assert "顾客：在吗？我三天前买的东西" in bot.api.last(1001).text
    await bot.send(1001, "在的")  # no greeting: told at the end
    await bot.send(1001, "这不是我们的问题")  # banned: flagged at once, and the customer goes on
    flagged = [c.text for c in bot.api.sent(1001) if "这句回复有问题" in c.text]
    assert flagged and "「推卸责任（不是我们的问题）」" in flagged[0] and "shirk." not in flagged[0]
    await bot.send(1001, "好的，亲，非常抱歉，我马上帮您催")
    result = bot.api.last(1001).text
    assert "练习结束：50 分" in result and "第一句没有问候" in result and "✅ 有道歉" in result
    await bot.send(1001, "这款我们不补货了")  # practice over: a draft again
    assert "不能发送" in bot.api.last(1001).text


async def test_practice_can_be_cancelled_and_unknown_scenarios_are_refused(bot: BotHarness) -> None:
    await bot.send(1001, "/practice nosuch")
    assert "没有「nosuch」" in bot.api.last(1001).text
    await bot.send(1001, "/practice bargaining")
    await bot.send(1001, "/cancel")
    assert bot.api.last(1001).text == "练习已结束。"
    await bot.send(1001, "亲，您好")
    assert "可以发送" in bot.api.last(1001).text


def test_the_shipped_scenarios_load() -> None:
    from bot.practice.scenarios import load_scenarios

    assert {s.id for s in load_scenarios(Path(KNOWLEDGE))} >= {"late_delivery", "bargaining"}


async def test_a_run_left_idle_ends_and_survives_a_restart_until_then(sqlite_url: str) -> None:
    """The run is in the database: a restart keeps it; left idle for IDLE, text is a draft again."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.practice.desk import IDLE
    from tests.bot_harness import ManualClock

    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    first = await BotHarness.start(sqlite_url, clock=clock)
    await first.add(1001, "新人", agent_id="N01")
    await first.send(1001, "/practice bargaining")
    await first.stop()
    second = await BotHarness.start(sqlite_url, clock=clock)
    try:
        await second.send(1001, "您好，这已经是活动价了")
        assert "别的店比你们便宜" in second.api.last(1001).text  # the run went on after the restart
        clock.advance(seconds=IDLE.total_seconds() + 1)
        await second.send(1001, "亲，您好")
        assert "可以发送" in second.api.last(1001).text
        await second.send(1001, "/cancel")
        assert second.api.last(1001).text == "现在没有要取消的操作。"
    finally:
        await second.stop()


async def test_a_single_process_remembers_who_is_in_no_flow_until_one_starts(sqlite_url: str) -> None:
    """Long polling: a typed text of someone in no flow costs no query; /handoff or /practice
    makes the next one read again (only this process starts flows)."""
    from datetime import UTC, datetime

    from bot.flows import Flows
    from bot.roster.people import Member
    from bot.roster.roles import Role
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade_async

    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    flows, member = Flows(db, shared=False), Member(id=1, telegram_id=1, name="x", role=Role.AGENT, team="T1", agent_id="A1")
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert await flows.current(member, now) is None
    flows.db = None  # type: ignore[assignment]  # a query now would raise: the answer is remembered
    assert await flows.current(member, now) is None
    flows.starting(member)
    flows.db = db
    assert await flows.current(member, now) is None and member.id in flows._in_none  # read again
    await db.close()
