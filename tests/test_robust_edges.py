"""Edges that used to go wrong: formulas in the report's CSV, a phantom agent "?", dates at the
calendar's edge, and local mode answering a page under another host name."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import aiohttp
import pytest

from bot.reports.build import ReportBuilder
from bot.reports.figures import AgentLine, Comparison, DailyFigures, Figures
from bot.reports.tabular import report_csv
from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from tests.bot_harness import BotHarness
from tests.report_fixture import AS_OF, DAY, SH, build_fixture, local

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in the shop
LEAD, SUPERVISOR, ADMIN = 4001, 3001, 9001


# -- the report's CSV -------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+86 138", "'+86 138"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tA07", "'\tA07"), ("\rA07", "'\rA07"),
    ("慧兰", "慧兰"), ("A07", "A07"), ("-", "-"), ("", ""),
])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(cell: str, written: str) -> None:
    from bot.spreadsheet import safe_cell  # the one function both CSVs (audit, report) write through

    assert safe_cell(cell) == written


def test_the_report_csv_escapes_names_agent_ids_and_teams() -> None:
    agents = [AgentLine(1, "=cmd|' /C calc'!A0", "+A07", Figures(drafts_checked=2)),
              AgentLine(2, "@慧兰", "-A08", Figures())]
    report = DailyFigures("=T1", date(2026, 11, 23), NOW, agents, Figures(drafts_checked=2), Comparison({}, {}), [])
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert [(r["team"], r["agent_id"], r["name"]) for r in rows] == [
        ("'=T1", "'+A07", "'=cmd|' /C calc'!A0"), ("'=T1", "'-A08", "'@慧兰"), ("'=T1", "TEAM", "")]
    assert rows[0]["drafts_checked"] == "2"


# -- the figures ------------------------------------------------------------------------------

async def test_a_report_sent_is_no_agent_of_the_next_report(sqlite_url: str) -> None:
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    try:
        await build_fixture(db)
        async with db.transaction() as repos:  # the day's report went out (an event of the team, no person)
            await repos.events.add_all([{"type": "report_sent", "person_id": None, "team": "T1", "at": local(23, 9),
                                         "subject": "2026-11-22", "detail": None, "order_id": None}])
        async with db.transaction() as repos:
            report = await ReportBuilder(SH, timedelta(minutes=30)).build(repos.session, "T1", DAY, AS_OF)
    finally:
        await db.close()
    assert [(a.agent_id, a.name) for a in report.agents] == [("A07", "慧兰"), ("A08", "小雨")]
    assert report.team_total.drafts_checked == 7


# -- dates at the calendar's edge -------------------------------------------------------------

@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, clock=lambda: NOW)
    await harness.add(LEAD, "李组长", Role.TEAM_LEAD)
    await harness.add(SUPERVISOR, "王主管", Role.SUPERVISOR)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    yield harness
    await harness.stop()


@pytest.mark.parametrize(("command", "usage", "why"), [
    ("/report 0001-01-01", "/report [日期] [团队]", "超出范围"),
    ("/report 1999-12-31", "/report [日期] [团队]", "超出范围"),
    ("/report 2026-02-30", "/report [日期] [团队]", "没有 2026-02-30 这一天"),
    ("/handoffs 9999-12-31", "/handoffs [日期] [团队]", "超出范围"),
    ("/handoffs 0001-01-01", "/handoffs [日期] [团队]", "超出范围"),
])
async def test_a_day_out_of_range_gets_the_usage_and_what_was_wrong(
        bot: BotHarness, command: str, usage: str, why: str) -> None:
    before = len(bot.api.calls)
    await bot.send(LEAD, command)
    (reply,) = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]  # to the lead; none to admins
    assert reply.chat_id == LEAD and why in reply.text and usage in reply.text


async def test_a_day_in_range_still_works(bot: BotHarness) -> None:
    await bot.send(SUPERVISOR, "/handoffs 2026-11-23")
    assert "2026-11-23" in bot.api.last(SUPERVISOR).text


# -- local mode's Host check ------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1:1", "localhost.evil.example:{port}"])
async def test_local_mode_refuses_another_host_name(local_server: str, host: str) -> None:
    port = local_server.rsplit(":", 1)[1]
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/api/people"):
            async with http.get(f"{local_server}{path}", headers={"Host": host.format(port=port)}) as res:
                assert res.status == 421 and "Host" in await res.text()
        async with http.post(f"{local_server}/api/send", json={"chat": 1001, "text": "在吗"},
                             headers={"Host": host.format(port=port), "X-Kefu-Local": "1"}) as res:
            assert res.status == 421


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
async def test_local_mode_serves_its_own_address(local_server: str, host: str) -> None:
    port = local_server.rsplit(":", 1)[1]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{local_server}/api/people", headers={"Host": host.format(port=port)}) as res:
            assert res.status == 200 and await res.json()
