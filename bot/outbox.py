"""The outbox: messages the bot owes someone, written in the same transaction as the change
they report, and sent until they are sent.

A handoff summary is queued with the note it summarises, an escalation with the flag that
says it happened: a crash before sending loses nothing, and ``(purpose, ref_id, chat_id)``
being unique means the same notification is never queued twice. Delivery is at least once:
only a crash between Telegram accepting a message and the row being marked sent can repeat
one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from bot.storage.db import Database
from bot.storage.models import OutboxMessage
from bot.storage.repositories import Repositories

MAX_BACKOFF = timedelta(minutes=5)
REFUSED_RETRY = timedelta(hours=1)  # a user who blocked the bot may unblock it


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: int
    purpose: str  # handoff_summary, handoff_note, handoff_escalation, handoff_missing, …
    ref_id: int
    text: str  # the message, or the caption of the photo
    markup: dict[str, Any] | None = None
    photo: bytes | None = None  # a PNG chart


@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    chat_id: int
    text: str
    markup: dict[str, Any] | None
    attempts: int
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int
    failed: int
    oldest_pending: datetime | None


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s … up to five minutes between tries."""
    return min(MAX_BACKOFF, timedelta(seconds=2 ** min(attempts, 16)))


async def queue(repos: Repositories, messages: Iterable[Outgoing], now: datetime) -> int:
    """Queue inside the caller's transaction; a message already queued is skipped. Returns how many."""
    added = 0
    for message in messages:
        exists = await repos.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.purpose == message.purpose, OutboxMessage.ref_id == message.ref_id,
            OutboxMessage.chat_id == message.chat_id,
        ))
        if exists is None:
            repos.session.add(OutboxMessage(
                chat_id=message.chat_id, purpose=message.purpose, ref_id=message.ref_id, text=message.text,
                markup=message.markup, photo=message.photo, created_at=now, due_at=now,
            ))
            added += 1
    await repos.session.flush()
    return added


class Outbox:
    def __init__(self, db: Database, alert_after: int) -> None:
        self.db = db
        self.alert_after = alert_after

    async def due(self, now: datetime, limit: int = 50) -> list[Pending]:
        async with self.db.transaction() as repos:
            rows = await repos.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.due_at <= now)
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
            return [Pending(r.id, r.chat_id, r.text, r.markup, r.attempts, r.photo) for r in rows]

    async def sent(self, message_id: int, now: datetime, telegram_message_id: int | None) -> None:
        async with self.db.transaction() as repos:
            await repos.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id)
                .values(sent_at=now, message_id=telegram_message_id, attempts=OutboxMessage.attempts + 1)
            )

    async def retry_later(self, message_id: int, now: datetime, error: str, *, refused: bool = False) -> bool:
        """Try again after a backoff (an hour when Telegram refused it: the user blocked the bot);
        True when the admins should now hear of it (once: at once when refused)."""
        async with self.db.transaction() as repos:
            row = await repos.session.get(OutboxMessage, message_id)
            if row is None:
                return False
            row.attempts += 1
            row.due_at = now + (REFUSED_RETRY if refused else backoff(row.attempts))
            row.last_error = error[:500]
            if (refused or row.attempts >= self.alert_after) and row.alerted_at is None:
                row.alerted_at = now
                return True
            return False

    async def failed(self, message_id: int, now: datetime, error: str) -> None:
        """Telegram rejected the message itself (a bad request): trying again cannot help."""
        async with self.db.transaction() as repos:
            await repos.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id)
                .values(failed_at=now, last_error=error[:500], attempts=OutboxMessage.attempts + 1)
            )

    async def backlog(self) -> Backlog:
        async with self.db.transaction() as repos:
            pending = await repos.session.execute(
                select(func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
            )
            count, oldest = pending.one()
            failed = await repos.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))
            )
            return Backlog(int(count or 0), int(failed or 0), oldest)
