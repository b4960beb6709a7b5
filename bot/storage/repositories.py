"""Storage functions behind small repositories: they take a session, the caller commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.disputes import DisputeRepository
from bot.storage.events import EventRepository, FillRequestRepository
from bot.storage.flows import FlowRepository, PracticeRepository
from bot.storage.handoffs import HandoffRepository
from bot.storage.knowledge import KnowledgeVersionRepository, ProposalRepository, ReplyPromptRepository
from bot.storage.models import AuditRun, utcnow
from bot.storage.orders import OrderRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.people import InviteRepository, PersonRepository
from bot.storage.shifts import ShiftRepository
from bot.storage.reports import DailyReportRepository
from bot.storage.service_days import ServiceDayRepository


class AuditRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, source: str, created_by: str | None = None) -> AuditRun:
        run = AuditRun(source=source, created_by=created_by, started_at=utcnow())
        self.session.add(run)
        await self.session.flush()
        return run

    async def finish(
        self,
        run: AuditRun,
        *,
        lines_read: int,
        drafts_checked: int,
        drafts_flagged: int,
        drafts_blocked: int,
        per_rule: Mapping[str, int],
        per_agent: Mapping[str, Mapping[str, int]],
    ) -> AuditRun:
        run.finished_at = utcnow()
        run.lines_read, run.drafts_checked = lines_read, drafts_checked
        run.drafts_flagged, run.drafts_blocked = drafts_flagged, drafts_blocked
        run.per_rule = dict(per_rule)
        run.per_agent = {agent: dict(counts) for agent, counts in per_agent.items()}
        await self.session.flush()
        return run

    async def recent(self, limit: int = 20) -> Sequence[AuditRun]:
        result = await self.session.execute(
            select(AuditRun).order_by(AuditRun.started_at.desc(), AuditRun.id.desc()).limit(limit)
        )
        return result.scalars().all()


@dataclass(frozen=True, slots=True)
class Repositories:
    """Every repository over one session (one per update / command)."""

    session: AsyncSession
    audit_runs: AuditRunRepository
    people: PersonRepository
    invites: InviteRepository
    orders: OrderRepository
    events: EventRepository
    fill_requests: FillRequestRepository
    knowledge_versions: KnowledgeVersionRepository
    proposals: ProposalRepository
    reply_prompts: ReplyPromptRepository
    disputes: DisputeRepository
    handoffs: HandoffRepository
    shifts: ShiftRepository
    flows: FlowRepository
    practice: PracticeRepository
    outbox: OutboxRepository
    daily_reports: DailyReportRepository
    service_days: ServiceDayRepository

    @classmethod
    def over(cls, session: AsyncSession) -> Repositories:
        return cls(
            session=session,
            audit_runs=AuditRunRepository(session),
            people=PersonRepository(session),
            invites=InviteRepository(session),
            orders=OrderRepository(session),
            events=EventRepository(session),
            fill_requests=FillRequestRepository(session),
            knowledge_versions=KnowledgeVersionRepository(session),
            proposals=ProposalRepository(session),
            reply_prompts=ReplyPromptRepository(session),
            disputes=DisputeRepository(session),
            handoffs=HandoffRepository(session),
            shifts=ShiftRepository(session),
            flows=FlowRepository(session),
            practice=PracticeRepository(session),
            outbox=OutboxRepository(session),
            daily_reports=DailyReportRepository(session),
            service_days=ServiceDayRepository(session),
        )
