"""Daily reports end to end: sent once a day to the team leads, on demand, and from the command line."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from tests.bot_harness import BotHarness, ManualClock
from tests.report_fixture import SH, build_fixture

ROOT = Path(__file__).resolve().parents[1]
AGENT, LEAD, SUP = 1001, 4001, 3001
QUIET = {"outbox_poll_seconds": 3600, "scheduler_seconds": 3600, "report_time": "09:00", "report_day": "yesterday"}


def _reports_to(bot: BotHarness, chat_id: int) -> tuple[list[str], int]:
    texts = [c.text for c in bot.api.sent(chat_id) if "日报" in c.text]
    photos = len(bot.api.sent(chat_id, "sendPhoto"))
    return texts, photos


async def test_the_team_lead_gets_yesterdays_report_once_even_across_a_restart(sqlite_url: str) -> None:
    clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=SH))
    bot = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    await bot.add(AGENT, "慧兰", agent_id="A07")
    await bot.add(LEAD, "李组长", Role.TEAM_LEAD)
    await bot.send(AGENT, "这款我们不补货了")
    await bot.send(AGENT, "亲，您好")
    clock.now = datetime(2026, 11, 24, 8, 59, tzinfo=SH)
    await bot.sweep()
    assert _reports_to(bot, LEAD) == ([], 0)
    clock.now = datetime(2026, 11, 24, 9, 1, tzinfo=SH)
    await bot.sweep()
    texts, photos = _reports_to(bot, LEAD)
    assert len(texts) == 1 and photos == 1
    assert "T1 · 2026-11-23 日报" in texts[0] and "检查草稿 2（提醒 1，不能发送 1）" in texts[0]
    assert "说“不补货了” 1" in texts[0] and "stock.no_restock" not in texts[0]  # rules by name, never by id
    photo = bot.api.last(LEAD, "sendPhoto")
    assert "2026-11-23" in photo.params["caption"]
    await bot.sweep()
    await bot.stop()

    again = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    try:
        await again.sweep()
        assert _reports_to(again, LEAD) == ([], 0)  # not twice, though restarted
        clock.now = datetime(2026, 11, 26, 9, 30, tzinfo=SH)  # the bot was down for two days
        await again.sweep()
        texts, photos = _reports_to(again, LEAD)
        assert [t.split(" 日报")[0][-10:] for t in texts] == ["2026-11-24", "2026-11-25"] and photos == 2
    finally:
        await again.stop()


async def test_a_report_on_demand(sqlite_url: str) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 9, 0, tzinfo=SH))
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    await build_fixture(db)
    await db.close()
    bot = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    try:
        await bot.add(SUP, "王主管", Role.SUPERVISOR)
        await bot.send(SUP, "/report 2026-11-23")
        texts, photos = _reports_to(bot, SUP)
        assert "检查草稿 7（提醒 3，不能发送 2）" in texts[0] and photos == 2  # the flags and the orders, a chart each
        captions = [c.params["caption"] for c in bot.api.sent(SUP, "sendPhoto")]
        assert "问题（按规则）" in captions[0] and "订单备注" in captions[1]
        await bot.send(SUP, "/report 2026-11-23 T2")
        assert "没有这条" not in bot.api.last(SUP).text and "用法" in bot.api.last(SUP).text
        await bot.send(1, "/report")  # A07, an agent
        assert "需要「主管」" in bot.api.last(1).text
    finally:
        await bot.stop()


async def _cli(url: str, *args: str) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": url, "KNOWLEDGE_DIR": str(ROOT / "knowledge")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "report", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_the_report_command(sqlite_url: str, tmp_path: Path) -> None:
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    await build_fixture(db)
    await db.close()
    code, out = await _cli(sqlite_url, "--date", "2026-11-23", "--team", "T1", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["team_total"]["drafts_checked"] == 7 and len(data["agents"]) == 2
    code, out = await _cli(sqlite_url, "--date", "2026-11-23", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["team"], r["agent_id"]) for r in rows] == [
        ("T1", "A07"), ("T1", "A08"), ("T1", "TEAM"), ("T2", "A09"), ("T2", "TEAM")]
    code, out = await _cli(sqlite_url, "--date", "2026-11-23", "--team", "T1")
    assert code == 0 and "检查草稿 7" in out and "<b>" not in out
    chart = tmp_path / "t1.png"
    code, _ = await _cli(sqlite_url, "--date", "2026-11-23", "--team", "T1", "--format", "png", "--out", str(chart))
    assert code == 0 and chart.read_bytes().startswith(b"\x89PNG")
    code, _ = await _cli(sqlite_url, "--date", "2026-11-23", "--team", "T1", "--format", "png", "--chart", "orders",
                         "--out", str(chart))
    assert code == 0 and chart.read_bytes().startswith(b"\x89PNG")
    code, _ = await _cli(sqlite_url, "--date", "2026-11-23", "--team", "T1", "--format", "png", "--chart", "service",
                         "--out", str(tmp_path / "none.png"))
    assert code == 2 and not (tmp_path / "none.png").exists()  # no conversation audit that day
    code, _ = await _cli(sqlite_url, "--format", "png")
    assert code == 2
