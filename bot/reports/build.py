"""Building a day's figures with SQL aggregation in the database (never every event in Python).

The shop's time zone decides which day an event belongs to: a local day is turned into a
UTC range ``[start, end)`` here, and the database only compares timestamps, so SQLite and
PostgreSQL agree and a day of 23 or 25 hours (daylight saving, where a shop has it) is right.
Earlier days for the comparison are bucketed in the same query with a CASE over their bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.events import EventType
from bot.reports.figures import COMPARED, AgentLine, Comparison, DailyFigures, Figures
from bot.reports.service import ServiceSection, service_section
from bot.storage.models import Event, HandoffNote, HandoffRead, Order, Person
from bot.storage.service_days import ServiceDayRepository

WEEK = 7
RULE_EVENTS = [EventType.DRAFT_FLAGGED.value, EventType.FLAG_DISPUTED.value, EventType.FLAG_CONFIRMED.value]
PerAgent = Callable[[int | None], Figures]


def day_range(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


def _bucket(column: object, bounds: list[datetime]) -> object:
    """0 for the first day, 1 for the next …: which of the consecutive days ``column`` falls in."""
    return case(*((column < bound, index) for index, bound in enumerate(bounds[1:])), else_=len(bounds) - 1)


class ReportBuilder:
    def __init__(self, tz: ZoneInfo, read_within: timedelta) -> None:
        self.tz = tz
        self.read_within = read_within

    async def build(self, session: AsyncSession, team: str, day: date, as_of: datetime) -> DailyFigures:
        start, end = day_range(day, self.tz)
        per_agent: dict[int, Figures] = {}
        nobody = Figures()  # events of no person (the report sent; someone since removed): the team's only

        def of(person_id: int | None) -> Figures:
            return nobody if person_id is None else per_agent.setdefault(person_id, Figures())

        await self._events(session, team, start, end, of)
        await self._orders(session, team, start, end, as_of, of)
        unread_pending = await self._handoffs(session, team, start, end, as_of, of)

        people = {p.id: p for p in (await session.scalars(select(Person).where(Person.id.in_(list(per_agent))))).all()}
        total = Figures()
        total.add(nobody)
        agents = []
        for person_id, figures in per_agent.items():
            total.add(figures)
            person = people.get(person_id)
            agents.append(AgentLine(person_id, person.name if person else "?", person.agent_id if person else None,
                                    figures))
        agents.sort(key=lambda a: (a.agent_id or "~", a.name))
        provisional = []
        if as_of < end:
            provisional.append("day")
        if total.orders_untagged:
            provisional.append("orders")
        if unread_pending:
            provisional.append("handoffs")
        comparison = await self._comparison(session, team, day, as_of)
        service = await self._service(session, team, day)
        return DailyFigures(team, day, as_of, agents, total, comparison, provisional, service=service)

    async def _service(self, session: AsyncSession, team: str, day: date) -> ServiceSection | None:
        """The conversation audit's figures of the day (and the day before), under roster names."""
        before = day - timedelta(days=1)
        stored = await ServiceDayRepository(session).for_days(team, [before, day])
        if day not in stored:
            return None
        people = (await session.scalars(select(Person).where(Person.team == team))).all()
        return service_section(stored[day], stored.get(before, []), people)

    async def _events(self, session: AsyncSession, team: str, start: datetime, end: datetime, of: PerAgent) -> None:
        rule = case((Event.type.in_(RULE_EVENTS), Event.subject), else_=literal(None))
        detail = case((Event.type.in_([EventType.DRAFT_CHECKED.value, EventType.PHRASING_SUGGESTED.value]),
                       Event.detail), else_=literal(None))
        rows = await session.execute(
            select(Event.person_id, Event.type, rule.label("rule"), detail.label("detail"), func.count())
            .where(Event.team == team, Event.at >= start, Event.at < end)
            .group_by(Event.person_id, Event.type, rule, detail)
        )
        for person_id, type_, rule_id, kind, count in rows.all():
            _apply_event(of(person_id), type_, rule_id, kind, count)

    async def _orders(self, session: AsyncSession, team: str, start: datetime, end: datetime, as_of: datetime,
                      of: PerAgent) -> None:
        tagged = case((Order.tagged_at.is_not(None) & (Order.tagged_at <= as_of), 1), else_=0)
        oldest_untagged = func.min(case((tagged == 0, Order.logged_at), else_=literal(None)))
        rows = await session.execute(
            select(Order.person_id, func.count(), func.sum(tagged), oldest_untagged)
            .join(Person, Person.id == Order.person_id)
            .where(Person.team == team, Order.logged_at >= start, Order.logged_at < end, Order.logged_at <= as_of)
            .group_by(Order.person_id)
        )
        for person_id, logged, tagged_count, oldest in rows.all():
            figures = of(person_id)
            figures.orders_logged = int(logged)
            figures.orders_tagged = int(tagged_count or 0)
            figures.orders_untagged = figures.orders_logged - figures.orders_tagged
            if oldest is not None:
                figures.untagged_oldest_minutes = int((as_of - aware(oldest)).total_seconds() // 60)

    async def _note_rows(self, session: AsyncSession, team: str, start: datetime, end: datetime,
                         as_of: datetime) -> list[tuple[int, datetime, datetime, datetime | None, datetime | None]]:
        """(author, filed, next shift start, escalated, first read by another) of the notes filed
        in ``[start, end)``: a team files a few a shift, so these rows are few."""
        first_read = (
            select(func.min(HandoffRead.read_at))
            .where(HandoffRead.note_id == HandoffNote.id, HandoffRead.person_id != HandoffNote.person_id,
                   HandoffRead.read_at <= as_of)
            .scalar_subquery()
        )
        rows = await session.execute(
            select(HandoffNote.person_id, HandoffNote.filed_at, HandoffNote.next_shift_start,
                   HandoffNote.escalated_at, first_read)
            .where(HandoffNote.team == team, HandoffNote.filed_at >= start, HandoffNote.filed_at < end,
                   HandoffNote.filed_at <= as_of)
        )
        return [(p, aware(f), aware(n), aware_or_none(e), aware_or_none(r)) for p, f, n, e, r in rows.all()]

    def _tally_note(self, figures: Figures, next_start: datetime, escalated_at: datetime | None,
                    read_at: datetime | None, as_of: datetime) -> bool:
        """Count one note; True when it is unread and its deadline is still to come."""
        deadline = next_start + self.read_within
        figures.handoffs_filed += 1
        if read_at is not None:
            figures.handoffs_read += 1
        if (read_at is not None and read_at > deadline) or (read_at is None and as_of > deadline):
            figures.handoffs_late += 1
        if escalated_at is not None and escalated_at <= as_of:
            figures.handoffs_escalated += 1
        return read_at is None and as_of <= deadline

    async def _handoffs(self, session: AsyncSession, team: str, start: datetime, end: datetime, as_of: datetime,
                        of: PerAgent) -> int:
        """Notes filed that day; returns how many are unread with their deadline still to come."""
        pending = 0
        for person_id, _, next_start, escalated_at, read_at in await self._note_rows(session, team, start, end, as_of):
            pending += self._tally_note(of(person_id), next_start, escalated_at, read_at, as_of)
        return pending

    async def _comparison(self, session: AsyncSession, team: str, day: date, as_of: datetime) -> Comparison:
        """Team totals of each of the 7 days before ``day``, in three grouped queries."""
        days = [day - timedelta(days=n) for n in range(WEEK, 0, -1)]
        bounds = [day_range(d, self.tz)[0] for d in days] + [day_range(day, self.tz)[0]]
        totals = [Figures() for _ in days]
        bucket = _bucket(Event.at, bounds)
        detail = case((Event.type == EventType.DRAFT_CHECKED.value, Event.detail), else_=literal(None))
        rows = await session.execute(  # only the types the compared figures need
            select(bucket.label("d"), Event.type, detail.label("detail"), func.count())
            .where(Event.team == team, Event.at >= bounds[0], Event.at < bounds[-1],
                   Event.type.in_([EventType.DRAFT_CHECKED.value, EventType.SHIFT_ON.value]))
            .group_by(bucket, Event.type, detail))
        for index, type_, kind, count in rows.all():
            _apply_event(totals[index], type_, None, kind, count)
        order_bucket = _bucket(Order.logged_at, bounds)
        tagged = case((Order.tagged_at.is_not(None), 1), else_=0)
        rows = await session.execute(
            select(order_bucket, func.count(), func.sum(tagged)).join(Person, Person.id == Order.person_id)
            .where(Person.team == team, Order.logged_at >= bounds[0], Order.logged_at < bounds[-1])
            .group_by(order_bucket))
        for index, logged, tagged_count in rows.all():
            totals[index].orders_logged, totals[index].orders_tagged = int(logged), int(tagged_count or 0)
            totals[index].orders_untagged = int(logged) - int(tagged_count or 0)
        for _, filed, next_start, escalated_at, read_at in await self._note_rows(
                session, team, bounds[0], bounds[-1], as_of):
            index = max(i for i, bound in enumerate(bounds[:-1]) if filed >= bound)
            self._tally_note(totals[index], next_start, escalated_at, read_at, as_of)
        previous = {name: getattr(totals[-1], name) for name in COMPARED}
        average = {name: round(sum(getattr(t, name) for t in totals) / WEEK, 1) for name in COMPARED}
        return Comparison(previous, average)


def _apply_event(figures: Figures, type_: str, rule: str | None, detail: str | None, count: int) -> None:
    if type_ == EventType.DRAFT_CHECKED.value:
        figures.drafts_checked += count
        if detail in ("warn", "block"):
            figures.drafts_flagged += count
        if detail == "block":
            figures.drafts_blocked += count
    elif type_ == EventType.DRAFT_FLAGGED.value and rule:
        figures.flags[rule] += count
    elif type_ == EventType.FLAG_DISPUTED.value and rule:
        figures.disputed[rule] += count
    elif type_ == EventType.FLAG_CONFIRMED.value and rule:
        figures.confirmed[rule] += count
    elif type_ == EventType.PHRASING_SUGGESTED.value and detail:
        figures.phrasings[detail] += count
    elif type_ == EventType.PHRASING_FILLED.value:
        figures.phrasings_filled += count
    elif type_ == EventType.ORDER_REMINDED.value:
        figures.reminders_sent += count
    elif type_ == EventType.HANDOFF_MISSING.value:
        figures.handoffs_missing += count
    elif type_ == EventType.SHIFT_ON.value:
        figures.shifts_worked += count


def aware(value: datetime | str) -> datetime:
    """A timestamp from an aggregate (SQLite hands back text, without a zone) as aware UTC."""
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def aware_or_none(value: datetime | str | None) -> datetime | None:
    return None if value is None else aware(value)

