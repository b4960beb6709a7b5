"""Logging orders, tagging them and the reminders in between, over the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.events import EventType, event
from bot.orders.numbers import OrderNumbers
from bot.outbox import Delivered, Outgoing, delivered, queue
from bot.orders.remarks import Remark, build_remark
from bot.orders.reminders import ReminderPolicy
from bot.roster.people import Member
from bot.roster.service import member_of
from bot.storage.db import Database
from bot.storage.models import Order
from bot.storage.repositories import Repositories

MAX_NOTE_CHARS = 300
REMINDER = "order_reminder"  # the outbox purpose of reminders: order_reminder_1, order_reminder_2 …
Render = Callable[["OrderView", datetime], tuple[str, dict[str, Any]]]  # the reminder as text and buttons


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    person_id: int
    chat_id: int
    number: str
    note: str
    remark: Remark
    logged_at: datetime
    tagged_at: datetime | None
    reminders_sent: int
    next_reminder_at: datetime | None

    @property
    def tagged(self) -> bool:
        return self.tagged_at is not None


def view_of(order: Order) -> OrderView:
    return OrderView(
        id=order.id, person_id=order.person_id, chat_id=order.chat_id, number=order.number,
        note=order.note, remark=Remark(order.remark, order.flag_colour), logged_at=order.logged_at,
        tagged_at=order.tagged_at, reminders_sent=order.reminders_sent, next_reminder_at=order.next_reminder_at,
    )


@dataclass(frozen=True, slots=True)
class Logged:
    order: OrderView
    new: bool  # False: the agent had logged this number before


@dataclass(frozen=True, slots=True)
class Tagged:
    order: OrderView
    changed: bool  # False: it had been tagged before (elsewhere: another message, the list)
    reminders: list[Delivered]


class OrderDesk:
    def __init__(
        self, db: Database, numbers: OrderNumbers, policy: ReminderPolicy, *,
        remark_format: str, flag_colour: int, tz: ZoneInfo,
    ) -> None:
        self.db = db
        self.numbers = numbers
        self.policy = policy
        self.remark_format = remark_format
        self.flag_colour = flag_colour
        self.tz = tz

    async def log(self, member: Member, chat_id: int, number: str, note: str, now: datetime, source: str) -> Logged:
        async with self.db.transaction() as repos:
            return await self.log_in(repos, member, chat_id, number, note, now, source)

    async def log_in(
        self, repos: Repositories, member: Member, chat_id: int, number: str, note: str, now: datetime, source: str
    ) -> Logged:
        """Log inside the caller's transaction (a draft logs its orders with its check)."""
        if not member.agent_id:
            raise UserError("order.no_agent_id")
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            raise UserError("order.note_too_long", limit=MAX_NOTE_CHARS)
        order = await repos.orders.find(member.id, number)
        if order is not None:
            if note and note != order.note and order.tagged_at is None:
                order.note, order.remark = note, self._remark(member, number, note, order.logged_at).text
            return Logged(view_of(order), new=False)
        remark = self._remark(member, number, note, now)
        order = await repos.orders.add(Order(
            person_id=member.id, chat_id=chat_id, number=number, note=note, remark=remark.text,
            flag_colour=remark.flag_colour, logged_at=now, next_reminder_at=self.policy.first(now),
        ))
        await repos.events.add_all([event(EventType.ORDER_LOGGED, member, now, detail=source, order_id=order.id)])
        return Logged(view_of(order), new=True)

    def _remark(self, member: Member, number: str, note: str, at: datetime) -> Remark:
        return build_remark(
            self.remark_format, order_id=number, note=note, agent_id=member.agent_id or "",
            agent_name=member.name, at=at.astimezone(self.tz), flag_colour=self.flag_colour,
        )

    async def tag(self, member: Member, order_id: int, now: datetime) -> Tagged:
        """Mark tagged (only the agent's own order): the order, whether it changed, and the
        reminders delivered about it (whose "tagged" buttons are now stale)."""
        async with self.db.transaction() as repos:
            order = await repos.orders.get(order_id)
            if order is None or order.person_id != member.id:
                raise UserError("order.not_yours")
            changed = order.tagged_at is None
            if changed:
                order.tagged_at, order.next_reminder_at = now, None
                await repos.events.add_all([event(EventType.ORDER_TAGGED, member, now, order_id=order.id)])
            return Tagged(view_of(order), changed, await delivered(repos, REMINDER, order.id))

    async def untagged(self, member: Member) -> list[OrderView]:
        async with self.db.transaction() as repos:
            return [view_of(o) for o in await repos.orders.untagged(member.id)]

    async def queue_due_reminders(self, now: datetime, render: Render) -> int:
        """Queue a reminder in the outbox for every untagged order whose time has come, and
        schedule the next one — in one transaction, so each reminder goes out exactly once
        whatever restarts or replicas. Returns how many were queued."""
        async with self.db.transaction() as repos:
            queued = 0
            for order in await repos.orders.reminders_due(now):
                person = await repos.people.get(order.person_id)
                order.reminders_sent += 1
                order.next_reminder_at = self.policy.after(now, order.reminders_sent)
                if person is None or not person.active:
                    continue
                text, markup = render(view_of(order), now)
                queued += await queue(repos, [Outgoing(order.chat_id, f"{REMINDER}_{order.reminders_sent}",
                                                       order.id, text, markup)], now)
                await repos.events.add_all([event(
                    EventType.ORDER_REMINDED, member_of(person), now,
                    detail=str(order.reminders_sent), order_id=order.id,
                )])
            return queued

