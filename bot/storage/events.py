"""Event and fill-request storage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Event, FillRequest


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            await self.session.execute(insert(Event), rows)

    async def counts_by_subject(self, types: Iterable[str], since: datetime) -> dict[tuple[str, str], int]:
        """(type, subject) → how many since ``since``: phrasing usage in one GROUP BY."""
        result = await self.session.execute(
            select(Event.type, Event.subject, func.count()).where(Event.type.in_(list(types)), Event.at >= since)
            .group_by(Event.type, Event.subject))
        return {(str(kind), str(subject)): int(count) for kind, subject, count in result.all()}


class FillRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, request: FillRequest) -> FillRequest:
        self.session.add(request)
        await self.session.flush()
        return request

    async def by_prompt(self, chat_id: int, message_id: int) -> FillRequest | None:
        return await self.session.scalar(
            select(FillRequest).where(FillRequest.chat_id == chat_id, FillRequest.prompt_message_id == message_id)
        )

    async def get(self, request_id: int) -> FillRequest | None:
        return await self.session.get(FillRequest, request_id)

    async def delete(self, request: FillRequest) -> None:
        await self.session.delete(request)
