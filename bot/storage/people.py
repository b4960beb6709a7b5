"""Roster and invite storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Invite, Person


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.telegram_id == telegram_id))

    async def by_agent_id(self, agent_id: str) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.agent_id == agent_id))

    async def get(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def add(self, person: Person) -> Person:
        self.session.add(person)
        await self.session.flush()
        return person

    async def active(self, team: str | None = None, roles: Sequence[str] = ()) -> Sequence[Person]:
        query = select(Person).where(Person.active.is_(True))
        if team is not None:
            query = query.where(Person.team == team)
        if roles:
            query = query.where(Person.role.in_(roles))
        result = await self.session.scalars(query.order_by(Person.team, Person.role, Person.name, Person.id))
        return result.all()

    async def first_active(self, tiers: Sequence[tuple[Sequence[str], str | None]],
                           leaving_out: int | None = None) -> list[Person]:
        """The active people of the first tier — (roles, team, or None for every team) — that
        has anyone besides ``leaving_out``: who is told or asked, never nobody if anyone is."""
        for roles, team in tiers:
            people = [p for p in await self.active(team, roles) if p.id != leaving_out]
            if people:
                return people
        return []

    async def count_active(self, role: str) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(Person).where(Person.active.is_(True), Person.role == role)
        ) or 0)


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def get_for_update(self, code: str) -> Invite | None:
        """The invite row, locked where the database can (PostgreSQL) so a code is used once."""
        return await self.session.scalar(select(Invite).where(Invite.code == code).with_for_update())

    async def open_for_agent_id(self, agent_id: str, now: datetime) -> Invite | None:
        return await self.session.scalar(
            select(Invite).where(Invite.agent_id == agent_id, Invite.used_at.is_(None), Invite.expires_at > now)
        )
