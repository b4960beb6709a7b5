"""Checking a draft an agent sends: the verdict, the orders it mentions, the events recorded.

The draft text itself is not stored: only the verdict, the rules that fired and the orders
it mentioned (their numbers are needed for the back-office remark and the reminders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.checker.result import CheckResult
from bot.errors import UserError
from bot.events import EventType, event
from bot.knowledge.store import KnowledgeStore
from bot.orders.desk import Logged, OrderDesk
from bot.roster.people import Member
from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    result: CheckResult
    orders: list[Logged] = field(default_factory=list)
    unlogged_orders: list[str] = field(default_factory=list)  # found, but the sender has no 工号
    order_problems: list[UserError] = field(default_factory=list)


class DraftDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, orders: OrderDesk, max_chars: int) -> None:
        self.db = db
        self.knowledge = knowledge
        self.orders = orders
        self.max_chars = max_chars

    async def check(self, member: Member, chat_id: int, text: str, now: datetime) -> DraftOutcome:
        if not text.strip():
            raise UserError("draft.empty")
        if len(text) > self.max_chars:
            raise UserError("draft.too_long", length=len(text), limit=self.max_chars)
        loaded = self.knowledge.current
        result = loaded.checker.check(text)
        personal = [(f.start, f.end) for f in result.flags if loaded.knowledge.rule(f.rule).detector]
        numbers = self.orders.numbers.find(text, personal)
        outcome = DraftOutcome(result)
        async with self.db.transaction() as repos:
            events = [event(EventType.DRAFT_CHECKED, member, now, detail=result.verdict)]
            events += [
                event(EventType.DRAFT_FLAGGED, member, now, subject=f.rule, detail=f.severity.value)
                for f in result.flags
            ]
            repos.events.add_all(events)
            for number in numbers:
                if not member.agent_id:
                    outcome.unlogged_orders.append(number)
                    continue
                try:
                    outcome.orders.append(
                        await self.orders.log_in(repos, member, chat_id, number, "", now, "draft")
                    )
                except UserError as problem:
                    outcome.order_problems.append(problem)
        return outcome

