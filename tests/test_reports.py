"""The daily report on a fixture day whose figures are known by hand (tests/report_fixture.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import pytest

from bot.audit.service_figures import AgentDayFigures
from bot.reports.build import ReportBuilder
from bot.reports.chart import chart_figures, chart_pngs, cjk_font
from bot.reports.figures import DailyFigures
from bot.reports.tabular import report_csv
from bot.reports.text import report_lines
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.scratch import scratch_postgres
from tests.report_fixture import AS_OF, DAY, SH, build_fixture

BUILDER = ReportBuilder(SH, read_within=timedelta(minutes=30))


async def _report(url: str, service: Sequence[AgentDayFigures] = ()) -> DailyFigures:
    """The fixture day's report; ``service``: a conversation audit's figures stored first."""
    await upgrade_async(url)
    db = Database(url)
    try:
        await build_fixture(db)
        async with db.transaction() as repos:
            await repos.service_days.replace("T1", service, AS_OF, "chat.csv")
        async with db.transaction() as repos:
            return await BUILDER.build(repos.session, "T1", DAY, AS_OF)
    finally:
        await db.close()


@pytest.fixture
async def report(sqlite_url: str) -> AsyncIterator[DailyFigures]:
    yield await _report(sqlite_url)


def _agent(report: DailyFigures, agent_id: str):  # type: ignore[no-untyped-def]
    return next(a.figures for a in report.agents if a.agent_id == agent_id)


def _check_figures(report: DailyFigures) -> None:
    a07, a08, team = _agent(report, "A07"), _agent(report, "A08"), report.team_total
    assert [a.agent_id for a in report.agents] == ["A07", "A08"]  # A09 is another team's
    assert (a07.drafts_checked, a07.drafts_flagged, a07.drafts_blocked) == (6, 2, 2)
    assert dict(a07.flags) == {"taboo.wei": 1, "shirk.not_our_problem": 1}
    assert dict(a07.phrasings) == {"greeting": 3, "apology": 2}
    assert (a07.orders_logged, a07.orders_tagged, a07.orders_untagged, a07.untagged_oldest_minutes) == (3, 2, 1, 780)
    assert (a07.handoffs_filed, a07.handoffs_read, a07.handoffs_late, a07.handoffs_escalated) == (1, 1, 0, 0)
    assert (a07.handoffs_missing, a07.shifts_worked) == (1, 1)
    assert (a08.drafts_checked, a08.drafts_flagged, a08.drafts_blocked, dict(a08.flags)) == (1, 1, 0, {"negative.cannot": 1})
    assert (a08.orders_logged, a08.orders_tagged, a08.orders_untagged) == (1, 1, 0)
    assert (a08.handoffs_filed, a08.handoffs_read, a08.handoffs_late, a08.handoffs_escalated) == (1, 1, 1, 1)
    assert (team.drafts_checked, team.drafts_flagged, team.orders_logged, team.orders_tagged) == (7, 3, 4, 3)
    assert (team.handoffs_filed, team.handoffs_late, team.shifts_worked) == (2, 1, 2)
    assert report.comparison.previous_day["drafts_checked"] == 4
    assert (dict(a07.disputed), dict(a07.confirmed)) == ({"shirk.not_our_problem": 1}, {"shirk.not_our_problem": 1})
    assert dict(team.disputed) == {"shirk.not_our_problem": 1, "negative.cannot": 1}
    assert dict(team.confirmed) == {"shirk.not_our_problem": 1}
    assert report.comparison.previous_day["orders_logged"] == 1
    assert report.comparison.week_average["drafts_checked"] == round((4 + 6) / 7, 1)
    assert report.provisional == ["orders"]


async def test_the_figures_of_the_fixture_day(report: DailyFigures) -> None:
    _check_figures(report)


async def test_the_same_figures_on_postgresql(postgres_url: str) -> None:
    async with scratch_postgres(postgres_url) as url:
        _check_figures(await _report(url))


async def test_an_earlier_as_of_makes_the_day_provisional(sqlite_url: str) -> None:
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    await build_fixture(db)
    async with db.transaction() as repos:
        evening = await BUILDER.build(repos.session, "T1", DAY, AS_OF - timedelta(hours=15))  # D 18:00
    await db.close()
    a07 = _agent(evening, "A07")
    assert a07.drafts_checked == 6  # the events are filtered by day, not by as_of
    assert (a07.orders_logged, a07.orders_tagged) == (2, 1)  # 20:00 not logged yet; one tagged next morning
    assert "day" in evening.provisional and "orders" in evening.provisional


async def test_the_message(report: DailyFigures) -> None:
    labels = {"taboo.wei": "taboo.wei（禁语）", "shirk.not_our_problem": "推卸责任：嚴禁使用", "negative.cannot": "负面语言"}
    lines = report_lines(report, labels, {"greeting": "问候语"}, AS_OF)
    text = "\n".join(lines)
    assert "T1 · 2026-11-23 日报" in text and "部分数字尚未确定（有订单还没备注）" in text
    assert "检查草稿 7（提醒 3，不能发送 2）· 订单 4，已备注 3，未备注 1（最久 13 小时）" in text
    assert "交接 2，已读 2，超时 1，上报 1，未写 1 · 班次 2" in text
    assert "较前一天</b>：检查 +3" in text and "问候语 3" in text and "taboo.wei（禁语） 1" in text
    assert "慧兰 (A07)：检查草稿 6" in text and "小雨 (A08)：检查草稿 1" in text
    assert "申诉</b>（这句没问题 / 确认）：推卸责任：嚴禁使用 1/1；负面语言 1/0" in text
    assert all(len(line) < 4096 for line in lines)


async def test_the_json_holds_every_figure(report: DailyFigures) -> None:
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["day"] == "2026-11-23" and data["provisional"] == ["orders"]
    assert data["team_total"]["drafts_checked"] == 7 and data["team_total"]["orders_untagged"] == 1
    assert data["change_vs_previous_day"]["drafts_checked"] == 3
    assert {r["rule"] for r in data["top_rules"]} == {"taboo.wei", "shirk.not_our_problem", "negative.cannot"}
    a07 = next(a for a in data["agents"] if a["agent_id"] == "A07")
    assert a07["flags"] == {"taboo.wei": 1, "shirk.not_our_problem": 1} and a07["untagged_oldest_minutes"] == 780
    assert set(a07) >= {"drafts_checked", "phrasings", "orders_logged", "handoffs_late", "shifts_worked"}
    assert data["team_total"]["disputed"] == {"negative.cannot": 1, "shirk.not_our_problem": 1}
    assert data["team_total"]["confirmed"] == {"shirk.not_our_problem": 1}


async def test_the_csv(report: DailyFigures) -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert [r["agent_id"] for r in rows] == ["A07", "A08", "TEAM"]
    assert rows[0]["drafts_checked"] == "6" and rows[0]["flags"] == "shirk.not_our_problem:1;taboo.wei:1"
    assert rows[2]["orders_logged"] == "4" and rows[2]["handoffs_late"] == "1"
    assert rows[2]["disputed"] == "negative.cannot:1;shirk.not_our_problem:1"
    assert rows[2]["confirmed"] == "shirk.not_our_problem:1" and rows[1]["confirmed"] == ""


LABELS = {"taboo.wei": "禁忌用语", "shirk.not_our_problem": "推卸责任"}  # negative.cannot has no name here


async def test_one_chart_per_figure_with_the_right_bars_and_rule_names(report: DailyFigures) -> None:
    flags, orders = (chart.figure.axes[0] for chart in chart_figures(report, LABELS))
    names = [label.get_text() for label in flags.get_yticklabels()]
    by_rule = {c.get_label(): [bar.get_width() for bar in c] for c in flags.containers}
    a07, a08 = names.index("慧兰 (A07)" if cjk_font() else "A07"), names.index("小雨 (A08)" if cjk_font() else "A08")
    assert a07 > a08  # the most flags on top
    assert by_rule["禁忌用语"][a07] == 1 and by_rule["禁忌用语"][a08] == 0
    assert by_rule["其他"][a08] == 1  # a rule without a name is never shown by its id
    assert not any("." in name for name in by_rule)
    names = [label.get_text() for label in orders.get_yticklabels()]
    tagged, untagged = ([bar.get_width() for bar in c] for c in orders.containers)
    a07, a08 = names.index("慧兰 (A07)" if cjk_font() else "A07"), names.index("小雨 (A08)" if cjk_font() else "A08")
    assert (tagged[a07], untagged[a07], tagged[a08], untagged[a08]) == (2, 1, 1, 0)
    pngs = chart_pngs(report, LABELS)
    assert [name for name, _ in pngs] == ["flags", "orders"]  # no audit that day: no service chart
    assert all(png.startswith(b"\x89PNG") and len(png) > 10_000 for _, png in pngs)


def test_a_cjk_font_is_installed() -> None:
    """The set-up installs one (scripts/bootstrap, the Dockerfile); without it the chart says so."""
    assert cjk_font() is not None, "no CJK font: run scripts/bootstrap as root, or install fonts-noto-cjk"
