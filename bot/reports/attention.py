"""What a team lead should look at first: the lines the daily report opens with.

At most three, and only those that apply: the agent whose service was worst (and why), the
untagged order that has waited longest, and handoff notes nobody has read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.reports.figures import DailyFigures


@dataclass(frozen=True, slots=True)
class Attention:
    kind: str  # service | orders | handoffs
    name: str | None  # who, as the report names them
    values: dict[str, Any]  # the figures the line quotes

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, **self.values}


def _service(report: DailyFigures) -> Attention | None:
    worst = report.service.worst() if report.service else None
    if worst is None:
        return None
    figures = worst.today
    reason = next((w.reasons[0] for w in figures.worst if w.reasons), None)
    return Attention("service", worst.name, {
        "agent": worst.agent, "person_id": worst.person_id, "score_mean": figures.score_mean,
        "answered_in_time_share": figures.answered_in_time_share, "unanswered": figures.unanswered,
        "reason": reason})


def _orders(report: DailyFigures) -> Attention | None:
    waiting = [a for a in report.agents if a.figures.orders_untagged and a.figures.untagged_oldest_minutes is not None]
    if not waiting:
        return None
    longest = max(waiting, key=lambda a: (a.figures.untagged_oldest_minutes or 0, a.label))
    return Attention("orders", longest.label, {
        "person_id": longest.person_id, "minutes": longest.figures.untagged_oldest_minutes,
        "untagged": report.team_total.orders_untagged})


def _handoffs(report: DailyFigures) -> Attention | None:
    total = report.team_total
    unread = total.handoffs_filed - total.handoffs_read
    if unread <= 0:
        return None
    return Attention("handoffs", None, {"unread": unread})


def attention(report: DailyFigures) -> list[Attention]:
    """The report's opening lines, most pressing first (never more than three)."""
    return [line for line in (_service(report), _orders(report), _handoffs(report)) if line is not None]
