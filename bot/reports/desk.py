"""Daily reports over the database: built on demand, and sent once a day to every team lead.

What is due is worked out from the ``daily_reports`` rows, not from a timer: a report is due
for a day once the configured local time has passed, and it is sent when no row for that
team and day exists yet. The row and the outbox messages are written in one transaction, so
a restart neither skips a day (up to a week back) nor sends one twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.events import EventType
from bot.knowledge.store import KnowledgeStore
from bot.outbox import Outgoing, queue
from bot.reports.build import ReportBuilder, aware
from bot.reports.chart import chart_pngs
from bot.reports.figures import COMPARED, DailyFigures
from bot.reports.text import report_lines
from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.models import Event, Person
from bot.texts import split_message, t

CATCH_UP_DAYS = 7


@dataclass(frozen=True, slots=True)
class ReportSchedule:
    at: time  # local time the report goes out
    yesterday: bool  # report the day before (complete) rather than the day itself

    def latest_due(self, now_local: datetime) -> date:
        """The latest day whose report is due at ``now_local``."""
        day = now_local.date() if now_local.time() >= self.at else now_local.date() - timedelta(days=1)
        return day - timedelta(days=1) if self.yesterday else day


class ReportDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, builder: ReportBuilder, schedule: ReportSchedule,
                 tz: ZoneInfo) -> None:
        self.db = db
        self.knowledge = knowledge
        self.builder = builder
        self.schedule = schedule
        self.tz = tz

    def rule_labels(self) -> dict[str, str]:
        return self.knowledge.current.knowledge.rule_names()

    def kind_labels(self) -> dict[str, str]:
        return {k.id: k.label for k in self.knowledge.current.knowledge.kinds}

    async def teams(self) -> list[str]:
        async with self.db.transaction() as repos:
            return list(await repos.session.scalars(
                select(Person.team).where(Person.active.is_(True)).distinct().order_by(Person.team)))

    async def figures(self, team: str, day: date, as_of: datetime) -> DailyFigures:
        """The day's figures as of ``as_of``, with yesterday's provisional figures settled."""
        async with self.db.transaction() as repos:
            report = await self.builder.build(repos.session, team, day, as_of)
            before = await repos.daily_reports.for_day(team, day - timedelta(days=1))
        if before is not None and before.figures.get("provisional"):
            final = report.comparison.previous_day
            reported = before.figures.get("team_total", {})
            report.settled = {n: (int(reported.get(n, 0)), int(final.get(n, 0))) for n in COMPARED
                              if int(reported.get(n, 0)) != int(final.get(n, 0))}
        return report

    def lines(self, report: DailyFigures) -> list[str]:
        return report_lines(report, self.rule_labels(), self.kind_labels(), report.as_of.astimezone(self.tz))

    async def charts(self, report: DailyFigures) -> list[tuple[str, bytes, str]]:
        """(name, PNG, caption) of each of the report's charts, drawn in a worker thread."""
        pngs = await asyncio.to_thread(chart_pngs, report, self.rule_labels())
        return [(name, png, t(f"report.chart_caption.{name}", team=report.team, day=report.day.isoformat()))
                for name, png in pngs]

    async def send_due(self, now: datetime) -> int:
        """Build and queue every report that has fallen due; returns how many were queued."""
        latest = self.schedule.latest_due(now.astimezone(self.tz))
        queued = 0
        for team in await self.teams():
            for day in await self._missing_days(team, latest):
                queued += await self._send(team, day, now)
        return queued

    async def _missing_days(self, team: str, latest: date) -> list[date]:
        async with self.db.transaction() as repos:
            last = await repos.daily_reports.last_day(team)
            leads = await repos.people.active(team, [Role.TEAM_LEAD.value])
            first_event = await repos.session.scalar(select(func.min(Event.at)).where(Event.team == team))
        if not leads or (last is not None and last >= latest):
            return []
        if last is None:  # a new team: no report for the days before it did anything
            if first_event is None or aware(first_event).astimezone(self.tz).date() > latest:
                return []
            return [latest]
        first = max(last + timedelta(days=1), latest - timedelta(days=CATCH_UP_DAYS - 1))
        return [first + timedelta(days=n) for n in range((latest - first).days + 1)]

    async def _send(self, team: str, day: date, now: datetime) -> int:
        report = await self.figures(team, day, now)
        text_chunks = split_message(self.lines(report))
        charts = await self.charts(report)
        async with self.db.transaction() as repos:
            report_id = await repos.daily_reports.add_once(team, day, now, report.to_json())
            if report_id is None:
                return 0  # built meanwhile (another pass, or another replica)
            outgoing = []
            for lead in await repos.people.active(team, [Role.TEAM_LEAD.value]):
                outgoing += [Outgoing(lead.telegram_id, f"daily_report_{n}", report_id, chunk)
                             for n, chunk in enumerate(text_chunks)]
                outgoing += [Outgoing(lead.telegram_id, f"daily_report_chart_{name}", report_id, caption, photo=png)
                             for name, png, caption in charts]
            await repos.events.add_all([{
                "type": EventType.REPORT_SENT.value, "person_id": None, "team": team, "at": now,
                "subject": day.isoformat(), "detail": None, "order_id": None,
            }])
            return await queue(repos, outgoing, now)
