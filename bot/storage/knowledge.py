"""Knowledge versions, proposals and reply prompts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import KnowledgeVersion, Proposal, ReplyPrompt


class KnowledgeVersionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest(self) -> KnowledgeVersion | None:
        return await self.session.scalar(select(KnowledgeVersion).order_by(KnowledgeVersion.number.desc()).limit(1))

    async def by_number(self, number: int) -> KnowledgeVersion | None:
        return await self.session.scalar(select(KnowledgeVersion).where(KnowledgeVersion.number == number))

    async def recent(self, limit: int) -> Sequence[KnowledgeVersion]:
        result = await self.session.scalars(
            select(KnowledgeVersion).order_by(KnowledgeVersion.number.desc()).limit(limit))
        return result.all()

    async def all_changes(self) -> Sequence[tuple[int, object, list[dict[str, object]]]]:
        """(number, created_at, changes) of every version, oldest first: when each phrasing came."""
        result = await self.session.execute(select(
            KnowledgeVersion.number, KnowledgeVersion.created_at, KnowledgeVersion.changes,
        ).order_by(KnowledgeVersion.number))
        return [tuple(row) for row in result.all()]  # type: ignore[misc]

    async def add(self, version: KnowledgeVersion) -> KnowledgeVersion:
        self.session.add(version)
        await self.session.flush()
        return version


class ProposalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, proposal: Proposal) -> Proposal:
        self.session.add(proposal)
        await self.session.flush()
        return proposal

    async def get(self, proposal_id: int) -> Proposal | None:
        return await self.session.get(Proposal, proposal_id)

    async def get_for_update(self, proposal_id: int) -> Proposal | None:
        """Locked where the database can: two reviewers pressing at once decide once."""
        return await self.session.scalar(select(Proposal).where(Proposal.id == proposal_id).with_for_update())

    async def pending(self, teams: Sequence[str] | None) -> Sequence[Proposal]:
        query = select(Proposal).where(Proposal.status == "pending")
        if teams is not None:
            query = query.where(Proposal.team.in_(teams))
        return (await self.session.scalars(query.order_by(Proposal.submitted_at, Proposal.id))).all()

    async def based_on_counts(self) -> dict[str, int]:
        result = await self.session.execute(
            select(Proposal.based_on, func.count()).where(Proposal.based_on.is_not(None),
                                                          Proposal.status != "draft").group_by(Proposal.based_on))
        return {str(k): int(v) for k, v in result.all()}


class ReplyPromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, prompt: ReplyPrompt) -> None:
        self.session.add(prompt)
        await self.session.flush()

    async def take(self, chat_id: int, message_id: int, person_id: int) -> ReplyPrompt | None:
        """The prompt that message answers, if it was asked of that person."""
        return await self.session.scalar(select(ReplyPrompt).where(
            ReplyPrompt.chat_id == chat_id, ReplyPrompt.message_id == message_id, ReplyPrompt.person_id == person_id))

    async def remove(self, prompt: ReplyPrompt) -> None:
        await self.session.execute(delete(ReplyPrompt).where(ReplyPrompt.id == prompt.id))
