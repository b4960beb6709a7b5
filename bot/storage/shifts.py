"""Shift storage: who went on and off which occurrence of a shift."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Person, ShiftSession


class ShiftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, shift: ShiftSession) -> ShiftSession:
        self.session.add(shift)
        await self.session.flush()
        return shift

    async def of(self, person_id: int, shift_start: datetime) -> ShiftSession | None:
        return await self.session.scalar(select(ShiftSession).where(
            ShiftSession.person_id == person_id, ShiftSession.shift_start == shift_start))

    async def latest_open(self, person_id: int) -> ShiftSession | None:
        """The person's latest shift they have not gone off yet."""
        return await self.session.scalar(select(ShiftSession).where(
            ShiftSession.person_id == person_id, ShiftSession.off_at.is_(None),
        ).order_by(ShiftSession.shift_start.desc()).limit(1))

    async def latest_started(self, person_id: int, started_by: datetime, ended_after: datetime) -> ShiftSession | None:
        """The person's latest shift that started by ``started_by`` and ended after ``ended_after``."""
        return await self.session.scalar(select(ShiftSession).where(
            ShiftSession.person_id == person_id, ShiftSession.shift_start <= started_by,
            ShiftSession.shift_end > ended_after).order_by(ShiftSession.shift_start.desc()).limit(1))

    async def on_now(self, team: str, started_by: datetime, now: datetime) -> list[tuple[Person, str]]:
        """(person, shift name) of everyone of ``team`` on a shift that started by ``started_by``
        and has not ended at ``now``, and who has not gone off."""
        rows = await self.session.execute(
            select(Person, ShiftSession.shift_name).join(ShiftSession, ShiftSession.person_id == Person.id)
            .where(ShiftSession.team == team, ShiftSession.off_at.is_(None),
                   ShiftSession.shift_start <= started_by, ShiftSession.shift_end > now)
            .order_by(ShiftSession.shift_start, Person.name))
        return [(person, shift) for person, shift in rows.all()]

    async def people_on(self, team: str, shift_start: datetime) -> Sequence[Person]:
        """Active people of ``team`` on the shift starting at ``shift_start`` and not gone off."""
        return (await self.session.scalars(
            select(Person).join(ShiftSession, ShiftSession.person_id == Person.id)
            .where(ShiftSession.team == team, ShiftSession.shift_start == shift_start,
                   ShiftSession.off_at.is_(None), Person.active.is_(True)))).all()

    async def missing_note_due(self, now: datetime) -> Sequence[ShiftSession]:
        return (await self.session.scalars(select(ShiftSession).where(
            ShiftSession.missing_note_due <= now, ShiftSession.missing_note_reported_at.is_(None)))).all()
