"""Service-figure storage: a conversation audit's figures per team, agent and transcript day.

An audit covers whole days of the transcript; storing it replaces the team's rows of exactly
those days (delete, then insert, in the caller's transaction), so uploading the same export
again, or a corrected one, never adds to what was there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service_figures import AgentDayFigures, WorstConversation
from bot.storage.models import ServiceDay

# The figures stored one to one in columns of the same name.
FIGURE_COLUMNS = (
    "conversations", "answered", "first_response_mean", "first_response_p90", "customer_messages",
    "answered_in_time", "unanswered", "agent_messages", "flags", "score_mean",
)


def _row(team: str, figures: AgentDayFigures, audited_at: datetime, source: str, audited_by: int | None) -> ServiceDay:
    return ServiceDay(
        team=team, day=figures.day, whole_team=figures.agent is None, agent=figures.agent,
        **{name: getattr(figures, name) for name in FIGURE_COLUMNS},
        worst=[{"conversation": w.conversation, "score": w.score, "reasons": list(w.reasons), "agent": w.agent}
               for w in figures.worst],
        audited_at=audited_at, source=source[:500], audited_by=audited_by,
    )


def _figures(row: ServiceDay) -> AgentDayFigures:
    worst = tuple(WorstConversation(w["conversation"], float(w["score"]), tuple(w["reasons"]), w["agent"])
                  for w in row.worst)
    return AgentDayFigures(agent=None if row.whole_team else row.agent, day=row.day,
                           **{name: getattr(row, name) for name in FIGURE_COLUMNS}, worst=worst)


class ServiceDayRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, team: str, figures: Sequence[AgentDayFigures], audited_at: datetime, source: str,
                      audited_by: int | None = None) -> list[date]:
        """Store an audit's figures for ``team``; returns the days it replaced, oldest first."""
        days = sorted({f.day for f in figures})
        if not days:
            return []
        await self.session.execute(delete(ServiceDay).where(ServiceDay.team == team, ServiceDay.day.in_(days)))
        self.session.add_all(_row(team, f, audited_at, source, audited_by) for f in figures)
        await self.session.flush()
        return days

    async def for_days(self, team: str, days: Iterable[date]) -> dict[date, list[AgentDayFigures]]:
        """The stored figures of those days (a day never audited is absent), the team row first."""
        rows = await self.session.scalars(
            select(ServiceDay).where(ServiceDay.team == team, ServiceDay.day.in_(list(days)))
            .order_by(ServiceDay.day, ServiceDay.whole_team.desc(), ServiceDay.agent))
        found: dict[date, list[AgentDayFigures]] = {}
        for row in rows.all():
            found.setdefault(row.day, []).append(_figures(row))
        return found
