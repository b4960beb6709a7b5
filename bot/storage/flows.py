"""The multi-step flows a person is in (a handoff note, a practice run), read per update."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import HandoffDraft, PracticeSession


class FlowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest(self, person_id: int, practice_after: datetime) -> str | None:
        """``handoff`` or ``practice``: the flow the person touched last (a practice run idle
        since ``practice_after`` or longer does not count); None when in neither. One query."""
        flows = union_all(
            select(literal("handoff").label("flow"), HandoffDraft.updated_at.label("at"))
            .where(HandoffDraft.person_id == person_id),
            select(literal("practice").label("flow"), PracticeSession.updated_at.label("at"))
            .where(PracticeSession.person_id == person_id, PracticeSession.updated_at > practice_after),
        ).subquery()
        return await self.session.scalar(select(flows.c.flow).order_by(flows.c.at.desc()).limit(1))


class PracticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int, *, lock: bool = False) -> PracticeSession | None:
        query = select(PracticeSession).where(PracticeSession.person_id == person_id)
        return await self.session.scalar(query.with_for_update() if lock else query)

    async def start(self, person_id: int, scenario_id: str, now: datetime) -> PracticeSession:
        """A new run, replacing any earlier one of the person."""
        row = await self.get(person_id, lock=True)
        if row is None:
            row = PracticeSession(person_id=person_id)
            self.session.add(row)
        row.scenario_id, row.replies, row.started_at, row.updated_at = scenario_id, [], now, now
        await self.session.flush()
        return row

    async def remove(self, person_id: int) -> bool:
        row = await self.get(person_id)
        if row is None:
            return False
        await self.session.delete(row)
        return True
