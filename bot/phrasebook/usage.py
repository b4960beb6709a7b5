"""How much each approved phrasing is used, and which ones nobody uses any more.

Used means: suggested to an agent, filled in by one, or seen in a draft an agent had checked
(Telegram reports no tap on a copy button, so a copy is seen when the copied text comes back
to be checked); proposed-from counts the proposals that rewrote it. A phrasing with none of
the first three for ``unused_after`` — and older than that — is offered to a lead for
retirement; it is removed only by a lead's decision (a knowledge version), and a lead who
keeps it is not asked again for another ``unused_after``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.errors import UserError
from bot.events import EventLog, EventType, event
from bot.knowledge.edits import remove_phrasing
from bot.knowledge.keeper import KnowledgeKeeper, VersionView
from bot.knowledge.store import KnowledgeStore
from bot.outbox import Outgoing, queue
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.models import OutboxMessage
from bot.texts import t

OFFER = "retirement_offer"  # outbox purpose; ref_id: the period's number
OFFER_LINES = 10
USE_EVENTS = (EventType.PHRASING_SUGGESTED, EventType.PHRASING_FILLED, EventType.PHRASING_USED)


@dataclass(frozen=True, slots=True)
class PhrasingUsage:
    phrasing_id: str
    kind: str
    text: str
    suggested: int = 0
    filled: int = 0
    used: int = 0
    proposed_from: int = 0

    @property
    def total(self) -> int:
        return self.suggested + self.filled + self.used


class UsageDesk:
    def __init__(self, db: Database, events: EventLog, knowledge: KnowledgeStore, keeper: KnowledgeKeeper,
                 unused_after: timedelta) -> None:
        self.db = db
        self.events = events
        self.knowledge = knowledge
        self.keeper = keeper
        self.unused_after = unused_after
        self._looked_on: date | None = None

    async def usage(self, now: datetime, days: int) -> list[PhrasingUsage]:
        """Every approved phrasing with its counts over the last ``days``, most used first."""
        await self.events.flush()
        async with self.db.transaction() as repos:
            counts = await repos.events.counts_by_subject((e.value for e in USE_EVENTS), now - timedelta(days=days))
            proposed = await repos.proposals.based_on_counts()
        rows = [
            PhrasingUsage(
                p.id, p.kind, p.text,
                suggested=counts.get((EventType.PHRASING_SUGGESTED.value, p.id), 0),
                filled=counts.get((EventType.PHRASING_FILLED.value, p.id), 0),
                used=counts.get((EventType.PHRASING_USED.value, p.id), 0),
                proposed_from=proposed.get(p.id, 0),
            )
            for p in self.knowledge.current.knowledge.phrasings
        ]
        return sorted(rows, key=lambda r: (-r.total, -r.used, r.phrasing_id))

    async def retirement_candidates(self, now: datetime) -> list[PhrasingUsage]:
        """Unused for ``unused_after``, in the knowledge at least as long, not kept lately."""
        since = now - self.unused_after
        first, added = await self.keeper.added_at()
        async with self.db.transaction() as repos:
            kept = await repos.events.counts_by_subject([EventType.PHRASING_KEPT.value], since)
        rows = await self.usage(now, self.unused_after.days or 1)
        return [
            r for r in rows
            if r.total == 0 and (EventType.PHRASING_KEPT.value, r.phrasing_id) not in kept
            and (added.get(r.phrasing_id) or first or now) <= since
        ]

    async def offer_retirement(self, now: datetime) -> int:
        """Tell the team leads, once a period, which phrasings nobody uses (``/usage`` decides).

        Called by every sweep; the candidates are worked out at most once a day per process,
        and the outbox key (period number) makes the message go once a period across replicas.
        """
        today = now.date()
        if self._looked_on == today:
            return 0
        self._looked_on = today
        period = today.toordinal() // max(1, self.unused_after.days)
        async with self.db.transaction() as repos:
            if await repos.session.scalar(select(OutboxMessage.id).where(
                    OutboxMessage.purpose == OFFER, OutboxMessage.ref_id == period).limit(1)) is not None:
                return 0
        candidates = await self.retirement_candidates(now)
        if not candidates:
            return 0
        lines = [t("usage.offer", count=len(candidates), days=self.unused_after.days)]
        lines += [t("usage.candidate", id=c.phrasing_id, text=c.text) for c in candidates[:OFFER_LINES]]
        if len(candidates) > OFFER_LINES:
            lines.append(t("knowledge.more_changes", count=len(candidates) - OFFER_LINES))
        async with self.db.transaction() as repos:
            leads = await repos.people.active(None, [Role.TEAM_LEAD.value])
            return await queue(repos, [Outgoing(p.telegram_id, OFFER, period, "\n".join(lines)) for p in leads], now)

    async def keep(self, lead: Member, phrasing_id: str, now: datetime) -> None:
        self._known(phrasing_id)
        async with self.db.transaction() as repos:
            await repos.events.add_all([event(EventType.PHRASING_KEPT, lead, now, subject=phrasing_id)])

    async def retire(self, lead: Member, phrasing_id: str, now: datetime) -> VersionView:
        """Remove it from the knowledge (and from any rule offering it as the replacement)."""
        self._known(phrasing_id)
        reason = f"{self.unused_after.days} 天未使用，退役"
        return await self.keeper.change(lead, reason, lambda files, _: remove_phrasing(files, phrasing_id), now)

    def _known(self, phrasing_id: str) -> None:
        if self.knowledge.current.knowledge.find_phrasing(phrasing_id) is None:
            raise UserError("phrasing.gone")
