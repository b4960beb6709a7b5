"""The conversation audit's figures in words, for the end of ``python -m bot audit``.

People read rule names and plain measures (秒, %, 分); ids stay in the JSON and CSV files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.audit.conversations import ConversationAudit
from bot.audit.quality import Quality
from bot.audit.service_figures import AgentDayFigures
from bot.audit.summary import SHOWN_AGENTS, percent, text_table

NOBODY = "-"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} 秒"


def _share(figures: AgentDayFigures) -> str:
    return percent(figures.answered_in_time, figures.customer_messages) if figures.customer_messages else "-"


def _per_100(figures: AgentDayFigures) -> str:
    value = figures.flags_per_100
    return "-" if value is None else f"{value:.1f}"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def team_line(team: AgentDayFigures) -> str:
    """One day of the whole team in a sentence."""
    return (
        f"  {team.day.isoformat()} 全队 team: 对话 {team.conversations:,} 段 · 首次回复 平均 {_seconds(team.first_response_mean)}"
        f"、90% 在 {_seconds(team.first_response_p90)}内 · 及时回复 {_share(team)} 的顾客消息"
        f" · 没有回复 {team.unanswered:,} 段 · 问题用语 每百条 {_per_100(team)} · 平均分 {_score(team.score_mean)}"
    )


def format_conversations(audit: ConversationAudit, quality: Quality) -> str:
    """The team per day, the agents per day (lowest score first) and the worst conversations."""
    greeting, answer = quality.greeting_seconds, quality.answer_seconds
    lines = [
        f"会话质检 / conversations: {audit.conversations:,} 段对话"
        f"（首次回复应在 {greeting:g} 秒内，每次回复应在 {answer:g} 秒内）",
    ]
    if audit.untimed:
        lines.append(f"  有 {audit.untimed:,} 条消息没有可用的时间或买家，未计入对话 / lines left out (no time or key)")
    days: dict[date, list[AgentDayFigures]] = {}
    for figures in audit.agent_days:
        days.setdefault(figures.day, []).append(figures)
    for day, rows in days.items():
        team, agents = rows[0], rows[1:]
        lines += ["", team_line(team)]
        lines += _agent_table(agents)
        lines += _worst(team)
    return "\n".join(lines)


def _agent_table(agents: Iterable[AgentDayFigures]) -> list[str]:
    ranked = sorted(agents, key=lambda a: (a.score_mean if a.score_mean is not None else 101, a.agent or ""))
    rows = [
        [a.agent if a.agent != NOBODY else "（无人接待）", f"{a.conversations:,}", _seconds(a.first_response_mean),
         _seconds(a.first_response_p90), _share(a), f"{a.unanswered:,}", _per_100(a), _score(a.score_mean)]
        for a in ranked[:SHOWN_AGENTS]
    ]
    if not rows:
        return []
    out = text_table(["客服 agent", "对话", "首次回复 平均", "首次回复 p90", "及时回复", "没回复", "问题/百条", "平均分"],
                     rows, right={1, 2, 3, 4, 5, 6, 7})
    if len(ranked) > SHOWN_AGENTS:
        out.append(f"  … 还有 {len(ranked) - SHOWN_AGENTS:,} 位客服 / more agents")
    return out


def _worst(team: AgentDayFigures) -> list[str]:
    if not team.worst:
        return []
    out = ["  最该先看的对话 worst conversations:"]
    for worst in team.worst:
        out.append(f"    {worst.conversation}（{worst.agent}，{worst.score:g} 分）：{'；'.join(worst.reasons)}")
    return out
