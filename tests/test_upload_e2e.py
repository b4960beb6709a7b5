"""A chat export sent to the bot as a document, end to end through real Updates: a team lead's
GBK transcript audited as conversations (progress, summary, chart, the per-conversation file),
the figures stored and replaced by the same file again; bad files and agents refused."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from telegram import Message

from bot.roster.roles import Role
from bot.storage.models import ServiceDay
from bot.telegram.offline import Call
from bot.telegram.progress import Progress
from tests.bot_harness import BotHarness, ManualClock
from tests.report_fixture import SH

AGENT, SUP, LEAD = 1001, 3001, 4001
DAY = date(2026, 5, 1)
QUIET = {"outbox_poll_seconds": 3600, "scheduler_seconds": 3600}
HEADER = ["时间", "买家", "客服", "角色", "内容"]
ROWS = [  # two interleaved conversations, counted by hand
    ["2026-05-01 09:00:00", "买家甲", "", "买家", "在吗"],
    ["2026-05-01 09:00:30", "买家乙", "", "买家", "这款有货吗"],
    ["2026-05-01 09:00:10", "买家甲", "A07", "客服", "亲，您好，在的"],  # 甲: answered in 10 s by 慧兰's 工号
    ["2026-05-01 09:01:10", "买家乙", "小雨", "客服", "亲，有货的"],  # 乙: 40 s, by 小雨's name
    ["2026-05-01 09:01:30", "买家乙", "", "买家", "什么时候发"],  # 乙 ends unanswered
]
ROWS.sort(key=lambda row: row[0])
REQUIRED = {"conversation", "agent", "customer_messages", "agent_messages", "first_response_seconds",
            "greeted_in_time", "waits_over_limit", "longest_wait_seconds", "unanswered", "flags", "score", "problems"}


def transcript(rows: list[list[str]] = ROWS, encoding: str = "gbk") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue().encode(encoding)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, clock=ManualClock(datetime(2026, 5, 2, 10, 0, tzinfo=SH)), **QUIET)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    await harness.add(1002, "小雨", agent_id="A08")
    await harness.add(SUP, "王主管", Role.SUPERVISOR)
    await harness.add(LEAD, "李组长", Role.TEAM_LEAD)
    yield harness
    await harness.stop()


async def _rows(bot: BotHarness) -> list[tuple[str | None, int, int]]:
    async with bot.services.db.transaction() as repos:
        found = await repos.service_days.for_days("T1", [DAY])
    return [(f.agent, f.conversations, f.unanswered) for f in found.get(DAY, [])]


def _answers(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method != "setMyCommands"]  # a member's menu, set at their first update


def _methods(calls: list[Call]) -> list[str]:
    return [c.method for c in _answers(calls)]


async def test_a_lead_uploads_a_gbk_export_and_gets_progress_summary_chart_and_file(bot: BotHarness) -> None:
    calls = _answers(await bot.send_document(LEAD, transcript(), "聊天记录-0501.csv"))
    assert _methods(calls) == ["sendMessage", "getFile", "editMessageText", "sendMessage", "sendPhoto", "sendDocument"]
    progress, done = calls[0], next(c for c in calls if c.method == "editMessageText")
    assert "收到 聊天记录-0501.csv" in progress.text
    assert done.params["message_id"] == progress.message_id and "质检完成" in done.text and "2 个会话" in done.text
    summary = next(c for c in calls[3:] if c.method == "sendMessage").text
    assert "会话质检" in summary and "2026-05-01" in summary
    assert "• 慧兰 (A07)：会话 1 · 首次响应平均 10 秒" in summary  # the 工号 on the roster
    assert "• 小雨 (A08)：会话 1 · 首次响应平均 40 秒" in summary  # the name on the roster
    assert "未回复 1" in summary and "已存入 T1 的服务质量（2026-05-01）" in summary
    photo = bot.api.last(LEAD, "sendPhoto")
    assert photo.uploads["photo"][1].startswith(b"\x89PNG") and len(photo.text) <= 1024
    document = bot.api.last(LEAD, "sendDocument")
    name, content = document.uploads["document"]
    lines = [json.loads(line) for line in content.decode("utf-8").splitlines()]
    assert name == "聊天记录-0501.conversations.jsonl" and len(lines) == 2
    assert all(REQUIRED <= set(line) for line in lines)
    by_key = {line["conversation"]: line for line in lines}
    assert (by_key["买家甲"]["first_response_seconds"], by_key["买家甲"]["unanswered"]) == (10, False)
    assert (by_key["买家乙"]["first_response_seconds"], by_key["买家乙"]["unanswered"]) == (40, True)
    assert await _rows(bot) == [(None, 2, 1), ("A07", 1, 0), ("小雨", 1, 1)]

    await bot.send(LEAD, "/report 2026-05-01")  # the day's report now has the section
    report = "\n".join(c.text for c in bot.api.sent(LEAD)[-3:])
    assert "服务质量" in report and "⚠️ 服务最需关注：小雨 (A08)" in report
    assert len(bot.api.sent(LEAD, "sendPhoto")) == 3  # the upload's chart, then the report's flags and service


async def test_the_same_file_again_replaces_the_figures(bot: BotHarness) -> None:
    await bot.send_document(LEAD, transcript(), "a.csv")
    await bot.send_document(SUP, transcript(encoding="utf-8"), "a-utf8.csv")  # a supervisor may too
    assert await _rows(bot) == [(None, 2, 1), ("A07", 1, 0), ("小雨", 1, 1)]
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(ServiceDay)) == 3
    answered = ROWS + [["2026-05-01 09:01:40", "买家乙", "小雨", "客服", "亲，今天发"]]
    await bot.send_document(LEAD, transcript(answered), "a-fixed.csv")  # a corrected export of the day
    assert await _rows(bot) == [(None, 2, 0), ("A07", 1, 0), ("小雨", 1, 0)]


@pytest.mark.parametrize(("content", "size", "answer"), [
    (b"\x00\x01\x02\xff" * 50, None, "读不了这个文件"),  # not text
    ("编号,备注\n1,好\n".encode(), None, "读不了这个文件"),  # no time, conversation or sender columns
    (transcript(), 25 * 1024 * 1024, "文件太大（25.0 MB）"),  # as Telegram reports it: never downloaded
    (b"PK\x03\x04" + b"\x00" * 60, None, "是 Excel 文件"),  # sent as bad.xlsx
])
async def test_a_bad_file_gets_a_clear_answer_and_changes_nothing(bot: BotHarness, content: bytes, size: int | None,
                                                                  answer: str) -> None:
    await bot.send_document(LEAD, transcript(), "good.csv")
    bot.api.clear()
    calls = await bot.send_document(LEAD, content, "bad.xlsx" if content.startswith(b"PK") else "bad.csv", size=size)
    texts = [c.text for c in calls if c.method in ("sendMessage", "editMessageText")]
    assert any(answer in text for text in texts), texts
    assert not [c for c in calls if c.method in ("sendPhoto", "sendDocument")]
    if size is not None:
        assert not [c for c in calls if c.method == "getFile"]
    assert await _rows(bot) == [(None, 2, 1), ("A07", 1, 0), ("小雨", 1, 1)]


async def test_an_agent_sending_a_document_gets_the_role_refusal(bot: BotHarness) -> None:
    calls = _answers(await bot.send_document(AGENT, transcript(), "a.csv"))
    assert _methods(calls) == ["sendMessage"]
    assert "会话质检需要「主管」或以上的权限，您的角色是「客服」" in calls[0].text
    assert await _rows(bot) == []


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_progress_edits_one_message_at_most_every_two_seconds_and_only_on_change(bot: BotHarness) -> None:
    sent = await bot.app.bot.send_message(LEAD, "开始")
    assert isinstance(sent, Message)
    clock = Clock()
    progress = Progress(sent, lambda done: f"{int(100 * done)}%", interval=2.0, clock=clock)
    steps = [(0.5, 0.1), (2.5, 0.2), (2.6, 0.3), (5.0, 0.3), (5.0, 0.35), (7.0, 0.35), (9.5, 0.35), (12.0, 0.9)]
    for at, done in steps:
        clock.now = at
        progress.offer(done)
        await progress.finish(progress.shown)  # let an edit started here land before the next step
    await progress.finish("完成")
    edits = [c for c in bot.api.calls if c.method == "editMessageText"]
    assert [c.text for c in edits] == ["20%", "30%", "35%", "90%", "完成"]  # 2 s apart, never the same text twice
    assert {c.params["message_id"] for c in edits} == {sent.message_id}


def _day_rows(day: int) -> list[list[str]]:
    at = f"2026-05-{day:02d}"
    return [[f"{at} 10:00:00", f"买家{day}", "", "买家", "在吗"], [f"{at} 10:00:05", f"买家{day}", "A07", "客服", "亲，在的"]]


async def test_a_file_of_several_days_is_stored_per_day_and_replaces_only_those_days(bot: BotHarness) -> None:
    await bot.send_document(LEAD, transcript(), "0501.csv")
    calls = await bot.send_document(LEAD, transcript([row for day in range(2, 7) for row in _day_rows(day)]), "week.csv")
    summary = "\n".join(c.text for c in calls if c.method == "sendMessage")
    assert "另有 2 天（2026-05-02 起）只存入" in summary
    assert "<b>2026-05-04</b>" in summary and "<b>2026-05-06</b>" in summary and "<b>2026-05-03</b>" not in summary
    assert "已存入 T1 的服务质量（2026-05-02 – 2026-05-06）" in summary
    assert await _rows(bot) == [(None, 2, 1), ("A07", 1, 0), ("小雨", 1, 1)]  # 05-01 was not in this file: kept
    async with bot.services.db.transaction() as repos:
        stored = await repos.service_days.for_days("T1", [date(2026, 5, d) for d in range(1, 8)])
    assert sorted(stored) == [date(2026, 5, d) for d in range(1, 7)]
