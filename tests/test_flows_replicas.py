"""Multi-step flows across two webhook replicas on one PostgreSQL database (issue 14, item 2):
any replica takes any update of a handoff note or a practice run."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.storage.models import HandoffNote, OutboxMessage
from bot.storage.scratch import scratch_postgres
from bot.telegram.offline import Call, callback_json
from tests.replica import NOW, Replica, post, replica, update

pytestmark = pytest.mark.postgres
AGENT, SUP = 1001, 3001
_ids = itertools.count(500)


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[str]:
    async with scratch_postgres(postgres_url, "kefu_flows") as url:
        yield url


@pytest.fixture
async def two(database: str) -> AsyncIterator[tuple[Replica, Replica]]:
    async with replica(database) as first, replica(database) as second:
        await first.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        await first.services.roster.add(SUP, NewMember("王主管", Role.SUPERVISOR, "T1"))
        yield first, second


async def say(http: aiohttp.ClientSession, to: Replica, text: str) -> str | None:
    """Post the agent's message to one replica; the verdict answered in the post, if any."""
    status, verdict = await post(http, to.url, update(next(_ids), AGENT, text))
    assert status == 200
    return verdict


async def press(http: aiohttp.ClientSession, to: Replica, shown: Call, data: str) -> None:
    """Press a button under a message (whichever replica sent it) through another replica."""
    assert any(b.get("callback_data") == data for b in shown.buttons()), (data, shown.buttons())
    body: dict[str, Any] = {"update_id": next(_ids), "callback_query": callback_json(
        str(next(_ids)), AGENT, data, message_id=shown.message_id or 1, message_text=shown.text)}
    status, _ = await post(http, to.url, body)
    assert status == 200


def latest(*replicas: Replica) -> Call:
    """The latest message to the agent with buttons, sent or edited by either replica."""
    return max((c for r in replicas for c in r.api.calls if c.chat_id == AGENT and c.buttons() and c.result),
               key=lambda c: c.at)


async def test_a_handoff_note_written_across_two_replicas_is_filed_once(two: tuple[Replica, Replica]) -> None:
    first, second = two
    async with aiohttp.ClientSession() as http:
        assert await say(http, first, "/handoff") is None
        assert "第 1/5 步" in first.api.last(AGENT).text
        for number, text in enumerate(["tb_小王 等退款到账", "李女士 等换货单号"], 1):
            assert await say(http, second, text) is None  # an item, not a draft to check
            assert f"已记下第 {number} 条" in second.api.last(AGENT).text
        await press(http, first, latest(first, second), "ho:next")
        assert "要赶紧处理的" in first.api.last(AGENT, "editMessageText").text
        assert await say(http, second, "SF123 快递破损 今天必须补发") is None
        assert "已记下第 1 条" in second.api.last(AGENT).text
        for data in ("ho:next", "ho:skip", "ho:next", "ho:skip"):  # urgent, prospects, orders, other
            await press(http, first if data == "ho:next" else second, latest(first, second), data)
        confirm = latest(first, second)
        assert "请确认交接记录" in confirm.text and "SF123" in confirm.text and "tb_小王" in confirm.text
        await press(http, first, confirm, "ho:file")
        await press(http, second, confirm, "ho:file")  # a second press elsewhere files nothing more
    async with first.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(HandoffNote)) == 1
        summaries = await repos.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.chat_id == SUP))
        assert summaries == 1
    (note,) = await first.services.handoffs.notes("T1", NOW.date())
    assert [i.text for i in note.items] == ["tb_小王 等退款到账", "李女士 等换货单号", "SF123 快递破损 今天必须补发"]


async def test_a_practice_run_across_two_replicas_and_cancel_on_either(two: tuple[Replica, Replica]) -> None:
    first, second = two
    async with aiohttp.ClientSession() as http:
        await say(http, first, "/practice late_delivery")
        assert "顾客：在吗？我三天前买的东西" in first.api.last(AGENT).text
        assert await say(http, second, "您好，非常抱歉让您久等了") is None  # a reply, not a draft
        assert "你们到底什么时候能送到" in second.api.last(AGENT).text
        assert await say(http, first, "我马上帮您查一下物流") is None
        assert "你帮我催一下" in first.api.last(AGENT).text
        assert await say(http, second, "好的，我马上帮您催") is None
        assert "练习结束：100 分" in second.api.last(AGENT).text
        verdict = await say(http, first, "这款我们不补货了")  # over: a draft again, on either replica
        assert verdict is not None and "工厂不再生产了" in verdict

        await say(http, second, "/practice bargaining")
        await say(http, first, "/cancel")
        assert "练习已结束" in first.api.last(AGENT).text
        verdict = await say(http, second, "这款我们不补货了")
        assert verdict is not None and "工厂不再生产了" in verdict

        await say(http, first, "/handoff")
        await say(http, second, "/cancel")  # the note's draft, cancelled on the other replica
        assert "草稿已删除" in second.api.last(AGENT).text
        assert await say(http, first, "这款我们不补货了") is not None
