"""Daily-report storage: which days were reported, and taking a day once across replicas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialects import insert_unless_there
from bot.storage.models import DailyReport

TABLE = DailyReport.__table__


class DailyReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_day(self, team: str, day: date) -> DailyReport | None:
        return await self.session.scalar(select(DailyReport).where(DailyReport.team == team, DailyReport.day == day))

    async def last_day(self, team: str) -> date | None:
        return await self.session.scalar(
            select(DailyReport.day).where(DailyReport.team == team).order_by(DailyReport.day.desc()).limit(1))

    async def add_once(self, team: str, day: date, built_at: datetime, figures: dict[str, Any]) -> int | None:
        """Record the day's report; None when it is recorded already (another pass or replica):
        ``ON CONFLICT DO NOTHING``, so the caller's transaction goes on either way."""
        result = await self.session.execute(insert_unless_there(self.session, TABLE, "team", "day"),
                                            {"team": team, "day": day, "built_at": built_at, "figures": figures})
        return result.scalar_one_or_none()
