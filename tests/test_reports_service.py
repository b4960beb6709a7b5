"""The daily report's 服务质量 section and its opening lines, on the fixture day of
tests/report_fixture.py with a conversation audit's figures stored for it (counted by hand)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from bot.audit.service_figures import AgentDayFigures, WorstConversation
from bot.reports.attention import attention
from bot.reports.figures import AgentLine, Comparison, DailyFigures, Figures
from bot.reports.service import service_section
from bot.reports.tabular import report_csv
from bot.reports.text import report_lines
from bot.storage.models import Person
from bot.storage.scratch import scratch_postgres
from bot.texts import split_message
from tests.report_fixture import AS_OF, DAY
from tests.test_reports import _report

BEFORE = DAY - timedelta(days=1)
REASONS = ("首次响应 95 秒（限 25 秒）", "结束时顾客未得到回复")


def figures(agent: str | None, day: date, conversations: int, mean: float, p90: float, customer: int, in_time: int,
            unanswered: int, score: float, worst: tuple[WorstConversation, ...] = ()) -> AgentDayFigures:
    return AgentDayFigures(agent, day, conversations, conversations - unanswered, mean, p90, customer, in_time,
                           unanswered, customer + 2, 1, score, worst)


AUDITED_DAY = [  # the transcript's names: a 工号, a roster name, and someone on no roster
    figures(None, DAY, 10, 20.0, 48.0, 40, 32, 1, 85.0),
    figures("A07", DAY, 4, 15.0, 30.0, 16, 15, 0, 92.5),
    figures("小雨", DAY, 3, 40.0, 95.0, 12, 6, 1, 70.0, (WorstConversation("买家丙", 55.0, REASONS, "小雨"),)),
    figures("路人甲", DAY, 3, 10.0, 12.0, 12, 11, 0, 96.0),
]
DAY_BEFORE = [figures(None, BEFORE, 8, 30.0, 60.0, 40, 20, 3, 80.0), figures("A07", BEFORE, 4, 20.0, 40.0, 10, 8, 0, 90.0)]


@pytest.fixture
async def report(sqlite_url: str) -> AsyncIterator[DailyFigures]:
    yield await _report(sqlite_url, AUDITED_DAY + DAY_BEFORE)


def _check_section(report: DailyFigures) -> None:
    assert report.service is not None
    assert [(line.agent, line.name) for line in report.service.agents] == [
        ("A07", "慧兰 (A07)"), ("小雨", "小雨 (A08)"), ("路人甲", "路人甲")]
    a07 = report.service.agents[0]
    assert a07.change("score_mean") == 2.5 and a07.change("first_response_mean") == -5.0
    assert report.service.agents[1].change("score_mean") is None  # not audited the day before
    assert report.service.team.change("unanswered") == -2


async def test_the_section_names_roster_people_and_compares_with_the_day_before(report: DailyFigures) -> None:
    _check_section(report)


async def test_the_same_section_on_postgresql(postgres_url: str) -> None:
    async with scratch_postgres(postgres_url) as url:
        _check_section(await _report(url, AUDITED_DAY + DAY_BEFORE))


async def test_the_message_opens_with_what_needs_attention(report: DailyFigures) -> None:
    lines = report_lines(report, {}, {}, AS_OF)
    assert lines[1] == ("⚠️ 服务最需关注：小雨 (A08)，70 分，限时内回复 50%，未回复 1 个会话"
                        "（首次响应 95 秒（限 25 秒））")
    assert lines[2] == "📦 未备注订单：慧兰 (A07) 的订单已等 13 小时（全组未备注 1 个）"
    assert "交接记录" not in lines[3]  # both notes of the day were read: the line does not apply
    text = "\n".join(lines)
    assert "<b>服务质量</b>（会话质检，括号里是较前一天）" in text
    assert ("<b>团队</b>：会话 10（+2） · 首次响应平均 20 秒（-10 秒） · P90 48 秒（-12 秒） · "
            "限时内回复 80%（+30%） · 未回复 1（-2） · 平均 85 分（+5.0）") in text
    assert ("• 慧兰 (A07)：会话 4（+0） · 首次响应平均 15 秒（-5 秒） · P90 30 秒（-10 秒） · "
            "限时内回复 94%（+14%） · 未回复 0（+0） · 平均 92.5 分（+2.5）") in text
    assert "• 小雨 (A08)：会话 3 · 首次响应平均 40 秒 · P90 1 分 35 秒 · 限时内回复 50% · 未回复 1 · 平均 70 分" in text
    assert "• 路人甲：会话 3" in text


async def test_a_day_without_an_audit_has_no_section(sqlite_url: str) -> None:
    report = await _report(sqlite_url, DAY_BEFORE)
    assert report.service is None and report.to_json()["service"] is None
    assert "服务质量" not in "\n".join(report_lines(report, {}, {}, AS_OF))


async def test_without_the_day_before_nothing_is_compared(sqlite_url: str) -> None:
    report = await _report(sqlite_url, AUDITED_DAY)
    text = "\n".join(report_lines(report, {}, {}, AS_OF))
    assert "（会话质检，前一天没有质检）" in text and "（+" not in text and "（-" not in text


async def test_the_json_and_csv_carry_the_service_figures_with_ids(report: DailyFigures) -> None:
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    team = data["service"]["team"]
    assert team["answered_in_time_share"] == 0.8 and team["change_vs_previous_day"]["answered_in_time_share"] == 0.3
    xiaoyu = data["service"]["agents"][1]
    assert (xiaoyu["agent"], xiaoyu["agent_id"], xiaoyu["first_response_p90"]) == ("小雨", "A08", 95.0)
    assert xiaoyu["worst"] == [{"conversation": "买家丙", "score": 55.0, "reasons": list(REASONS), "agent": "小雨"}]
    assert [a["kind"] for a in data["attention"]] == ["service", "orders"]
    assert data["attention"][0]["agent"] == "小雨" and data["attention"][0]["person_id"] is not None
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert [(r["agent_id"], r["name"], r["transcript_agent"]) for r in rows] == [
        ("A07", "慧兰", "A07"), ("A08", "小雨", "小雨"), ("", "路人甲", "路人甲"), ("TEAM", "", "")]
    assert rows[0]["drafts_checked"] == "6" and rows[0]["service_score_mean"] == "92.5"
    assert rows[2]["drafts_checked"] == "" and rows[2]["service_conversations"] == "3"
    assert rows[3]["service_answered_in_time_share"] == "0.8" and rows[3]["orders_logged"] == "4"


def _person(person_id: int, name: str, agent_id: str | None, active: bool = True) -> Person:
    return Person(id=person_id, telegram_id=person_id, name=name, agent_id=agent_id, role="agent", team="T1",
                  active=active)


@pytest.mark.parametrize(("transcript_name", "expected"), [
    ("A07", "慧兰 (A07)"),  # the 工号
    ("慧兰", "慧兰 (A07)"),  # the roster name
    ("小雨", "小雨"),  # the removed 小雨 lost to no one: still shown with the roster name it had
    ("A09", "新人 (A09)"),  # an agent ID wins over someone named like it
    ("hl旺旺", "hl旺旺"),  # a nickname on no roster line: the transcript's name
])
def test_a_transcript_name_is_shown_under_the_roster_name(transcript_name: str, expected: str) -> None:
    people = [_person(1, "慧兰", "A07"), _person(2, "小雨", None, active=False), _person(3, "A09", None),
              _person(4, "新人", "A09")]
    section = service_section([figures(None, DAY, 1, 1, 1, 1, 1, 0, 100),
                               figures(transcript_name, DAY, 1, 1, 1, 1, 1, 0, 100)], [], people)
    assert section is not None and section.agents[0].name == expected


def _bare(service: list[AgentDayFigures], untagged: int, filed: int, read: int) -> DailyFigures:
    agent = Figures(orders_logged=untagged, orders_untagged=untagged, handoffs_filed=filed, handoffs_read=read,
                    untagged_oldest_minutes=90 if untagged else None)
    report = DailyFigures("T1", DAY, AS_OF, [AgentLine(1, "慧兰", "A07", agent)], agent, Comparison({}, {}), [])
    report.service = service_section(service, [], []) if service else None
    return report


PERFECT = [figures(None, DAY, 1, 5, 5, 2, 2, 0, 100.0), figures("A07", DAY, 1, 5, 5, 2, 2, 0, 100.0)]
LATE = [figures(None, DAY, 1, 5, 5, 2, 1, 0, 100.0), figures("A07", DAY, 1, 5, 5, 2, 1, 0, 100.0)]


@pytest.mark.parametrize(("service", "untagged", "filed", "read", "kinds"), [
    ([], 0, 0, 0, []),
    (PERFECT, 0, 2, 2, []),  # a faultless day, every order tagged, every note read: nothing opens the report
    (LATE, 0, 0, 0, ["service"]),  # a score of 100 but a message answered late still counts
    ([], 2, 3, 1, ["orders", "handoffs"]),
    (LATE, 1, 1, 0, ["service", "orders", "handoffs"]),
])
def test_only_the_opening_lines_that_apply(service: list[AgentDayFigures], untagged: int, filed: int, read: int,
                                           kinds: list[str]) -> None:
    report = _bare(service, untagged, filed, read)
    assert [line.kind for line in attention(report)] == kinds
    lines = report_lines(report, {}, {}, AS_OF)
    assert len(lines) - len(report_lines(_bare([], 0, 0, 0), {}, {}, AS_OF)) >= len(kinds)
    if "handoffs" in kinds:
        assert f"📝 交接记录：{filed - read} 条还没有人读" in lines


def test_a_large_audited_team_still_fits_telegram(report: DailyFigures) -> None:
    many = [figures(None, DAY, 300, 20, 40, 900, 800, 5, 90.0)] + [
        figures(f"旺旺昵称很长的客服{n:03d}" * 2, DAY, 3, 20.5, 95.5, 9, 7, 1, 88.3) for n in range(300)]
    report.service = service_section(many, [], [])
    chunks = split_message(report_lines(report, {}, {}, AS_OF))
    assert len(chunks) > 1 and all(len(chunk) <= 4096 for chunk in chunks)
    assert sum(line.startswith("• 旺旺昵称很长的客服") for chunk in chunks for line in chunk.split("\n")) == 300


def test_a_name_from_a_transcript_cannot_break_the_markup() -> None:
    report = _bare([figures(None, DAY, 1, 5, 5, 2, 1, 0, 90.0), figures("<b>x</b>&", DAY, 1, 5, 5, 2, 1, 0, 90.0)],
                   0, 0, 0)
    text = "\n".join(report_lines(report, {}, {}, AS_OF))
    assert "<b>x</b>&" not in text and "&lt;b&gt;x&lt;/b&gt;&amp;" in text
    assert Counter(text)["<"] == Counter(text)[">"]




async def test_the_service_chart_reads_on_a_phone(report: DailyFigures) -> None:
    from io import BytesIO

    from matplotlib.image import imread

    from bot.reports.chart import chart_figures, chart_pngs, cjk_font

    charts = {chart.name: chart.figure for chart in chart_figures(report, {})}
    axes = charts["service"].axes[0]
    names = [label.get_text() for label in axes.get_yticklabels()]
    shares = [round(bar.get_width()) for bar in axes.containers[0]]
    if cjk_font():
        assert names == ["慧兰 (A07)", "路人甲", "小雨 (A08)"]  # the worst on top (barh draws upwards)
    assert shares == [94, 92, 50]
    assert axes.get_legend_handles_labels()[1] == ["团队 80%" if cjk_font() else "team 80%"]
    for name, png in chart_pngs(report, {}):
        height, width = imread(BytesIO(png)).shape[:2]
        assert width == 800 and height >= width, name  # portrait, shown at about half size on a phone
