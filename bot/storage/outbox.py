"""Outbox storage: queueing without aborting the caller's transaction, and claims.

Queueing is one ``INSERT … ON CONFLICT DO NOTHING`` on ``(purpose, ref_id, chat_id)``: a
message already queued is skipped by the database itself, so the caller's transaction goes
on (a failed flush caught as ``IntegrityError`` would have aborted it on PostgreSQL).

A row is sent by the replica that holds its claim. :meth:`OutboxRepository.claim` is one
statement on both databases::

    UPDATE outbox SET claimed_by = :me, claimed_until = :until
    WHERE id IN (SELECT id FROM outbox WHERE <due and unclaimed or claim expired>
                 ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED)   -- SKIP LOCKED: PostgreSQL only
    RETURNING …

On PostgreSQL two replicas claiming at once skip each other's locked rows, and a row
locked then committed by the other is re-checked against the condition (READ COMMITTED
re-evaluates it on the new version), so it is not claimed twice. SQLite has one writer at a
time: the statement runs alone. Every later change of a row (renewed, sent, failed,
uncertain, released) is conditional on the claim still being the caller's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialects import insert_unless_there
from bot.storage.models import OutboxMessage

TABLE = OutboxMessage.__table__
_QUEUED = ("chat_id", "purpose", "ref_id", "text", "markup", "photo", "created_at", "due_at")


def _open() -> Any:
    """Neither sent, nor refused for good, nor of uncertain fate."""
    return and_(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
                OutboxMessage.uncertain_at.is_(None))


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, rows: Sequence[dict[str, Any]]) -> int:
        """Queue ``rows`` (dicts of the queued columns); one already queued is skipped. Returns
        how many were added. Never raises on a duplicate: the caller's transaction goes on."""
        if not rows:
            return 0
        insert = insert_unless_there(self.session, TABLE, "purpose", "ref_id", "chat_id")
        added = 0
        for row in rows:  # one by one: RETURNING of a multi-row ON CONFLICT insert is not portable
            values = {name: row.get(name) for name in _QUEUED}
            values.update(attempts=0)
            result = await self.session.execute(insert, values)
            added += len(result.scalars().all())
        return added

    async def claim(self, holder: str, now: datetime, until: datetime, limit: int) -> Sequence[OutboxMessage]:
        """Claim up to ``limit`` due rows nobody holds (or whose claim ran out) for ``holder``."""
        due = (select(OutboxMessage.id)
               .where(_open(), OutboxMessage.due_at <= now,
                      or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
               .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True))
        result = await self.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()),
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .values(claimed_by=holder, claimed_until=until)
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.all(), key=lambda row: row.id)

    def _held(self, message_id: int, holder: str) -> Any:
        return and_(OutboxMessage.id == message_id, OutboxMessage.claimed_by == holder, _open())

    async def renew(self, message_id: int, holder: str, until: datetime) -> bool:
        """Extend ``holder``'s claim to ``until``; False if it is no longer theirs (it ran out
        and another replica took it) or the row is settled. A claim that ran out but that
        nobody took is still ``holder``'s: taking it over writes another name."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(self._held(message_id, holder))
            .values(claimed_until=until).execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def settle(self, row_id: int, holder: str, /, **values: Any) -> bool:
        """Change a row ``holder`` still holds and give up the claim; False if not theirs."""
        result = await self.session.execute(
            update(OutboxMessage).where(self._held(row_id, holder))
            .values(claimed_by=None, claimed_until=None, **values).execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def delivered(self, purpose: str, ref_id: int) -> Sequence[OutboxMessage]:
        """Sent rows of ``purpose`` or ``purpose_…`` about ``ref_id`` (their message ids
        recorded), oldest first: the copies of a notification that can still be edited."""
        return (await self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.ref_id == ref_id, OutboxMessage.sent_at.is_not(None),
                   OutboxMessage.message_id.is_not(None),
                   or_(OutboxMessage.purpose == purpose, OutboxMessage.purpose.startswith(f"{purpose}_", autoescape=True)))
            .order_by(OutboxMessage.id))).all()

    async def get(self, message_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, message_id)

    async def pending(self) -> tuple[int, datetime | None]:
        """How many are still to be sent, and when the oldest of them was queued."""
        row = (await self.session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(_open()))).one()
        return int(row[0] or 0), row[1]

    async def count_failed(self) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))) or 0)

    async def uncertain(self, limit: int = 10) -> tuple[int, Sequence[OutboxMessage]]:
        """How many are of uncertain fate, and the latest ``limit`` of them."""
        count = await self.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.uncertain_at.is_not(None)))
        rows = await self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.uncertain_at.is_not(None))
            .order_by(OutboxMessage.uncertain_at.desc(), OutboxMessage.id.desc()).limit(limit))
        return int(count or 0), rows.all()
