"""Checking a draft an agent sends: the verdict, the orders it mentions, the events recorded.

The draft text itself is not stored: only the verdict, the rules that fired and the orders
it mentioned (their numbers are needed for the back-office remark and the reminders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.checker.result import CheckResult
from bot.errors import UserError
from bot.events import EventLog, EventType, event
from bot.knowledge.store import KnowledgeStore
from bot.orders.desk import Logged, OrderDesk
from bot.roster.people import Member
from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    """The verdict, and the order numbers the draft mentions (logged in a second step)."""

    result: CheckResult
    order_numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DraftOrders:
    logged: list[Logged] = field(default_factory=list)
    unlogged: list[str] = field(default_factory=list)  # found, but the sender has no 工号
    problems: list[UserError] = field(default_factory=list)


class DraftDesk:
    """Checking is pure and instant; logging the orders a draft mentions needs the database,
    so it is a second step the bot takes after answering with the verdict."""

    def __init__(self, db: Database, events: EventLog, knowledge: KnowledgeStore, orders: OrderDesk, max_chars: int) -> None:
        self.db = db
        self.events = events
        self.knowledge = knowledge
        self.orders = orders
        self.max_chars = max_chars

    def check(self, member: Member, text: str, now: datetime) -> DraftOutcome:
        if not text.strip():
            raise UserError("draft.empty")
        if not any(character.isalnum() for character in text):  # 👍, ？？？: no words, nothing to judge
            raise UserError("draft.no_words")
        if len(text) > self.max_chars:
            raise UserError("draft.too_long", length=len(text), limit=self.max_chars)
        loaded = self.knowledge.current
        result = loaded.checker.check(text)
        self.events.record([event(EventType.DRAFT_CHECKED, member, now, detail=result.verdict)])
        self.events.record(
            event(EventType.DRAFT_FLAGGED, member, now, subject=f.rule, detail=f.severity.value) for f in result.flags
        )
        self.events.record(
            event(EventType.PHRASING_USED, member, now, subject=p) for p in loaded.spotter.spot(text)
        )
        return DraftOutcome(result, self.orders.numbers.find(text, loaded.personal_spans(result)))

    async def log_orders(self, member: Member, chat_id: int, numbers: list[str], now: datetime) -> DraftOrders:
        """Log each order number of a draft, in one transaction; problems are reported, not raised."""
        orders = DraftOrders()
        if not numbers:
            return orders
        if not member.agent_id:
            orders.unlogged.extend(numbers)
            return orders
        async with self.db.transaction() as repos:
            for number in numbers:
                try:
                    orders.logged.append(await self.orders.log_in(repos, member, chat_id, number, "", now, "draft"))
                except UserError as problem:
                    orders.problems.append(problem)
        return orders
