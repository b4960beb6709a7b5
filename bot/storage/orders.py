"""Order storage: logging, tagging and the reminders that are due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Order


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: int) -> Order | None:
        return await self.session.get(Order, order_id)

    async def find(self, person_id: int, number: str) -> Order | None:
        return await self.session.scalar(
            select(Order).where(Order.person_id == person_id, Order.number == number)
        )

    async def add(self, order: Order) -> Order:
        self.session.add(order)
        await self.session.flush()
        return order

    async def untagged(self, person_id: int) -> Sequence[Order]:
        result = await self.session.scalars(
            select(Order)
            .where(Order.person_id == person_id, Order.tagged_at.is_(None))
            .order_by(Order.logged_at, Order.id)
        )
        return result.all()

    async def reminders_due(self, now: datetime) -> Sequence[Order]:
        """Untagged orders whose next reminder is due at ``now``."""
        result = await self.session.scalars(
            select(Order)
            .where(Order.tagged_at.is_(None), Order.next_reminder_at <= now)
            .order_by(Order.next_reminder_at)
        )
        return result.all()
