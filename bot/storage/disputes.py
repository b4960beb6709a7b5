"""Dispute storage: an agent's "这句没问题" and a supervisor's decision on it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Dispute


class DisputeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, dispute: Dispute) -> Dispute:
        self.session.add(dispute)
        await self.session.flush()
        return dispute

    async def by_message(self, chat_id: int, message_id: int) -> Dispute | None:
        return await self.session.scalar(
            select(Dispute).where(Dispute.chat_id == chat_id, Dispute.message_id == message_id))

    async def get_for_update(self, dispute_id: int) -> Dispute | None:
        """Locked where the database can: two supervisors pressing at once decide once."""
        return await self.session.scalar(select(Dispute).where(Dispute.id == dispute_id).with_for_update())

    async def by_proposal(self, proposal_id: int) -> Dispute | None:
        return await self.session.scalar(
            select(Dispute).where(Dispute.proposal_id == proposal_id).with_for_update())

    async def open(self, teams: Sequence[str] | None, limit: int) -> Sequence[Dispute]:
        """Pending and not yet made a proposal, oldest first (the team's; every team's for None)."""
        query = select(Dispute).where(Dispute.state == "pending", Dispute.proposal_id.is_(None))
        if teams is not None:
            query = query.where(Dispute.team.in_(teams))
        return (await self.session.scalars(query.order_by(Dispute.created_at, Dispute.id).limit(limit))).all()
