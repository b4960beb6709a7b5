"""Taking update ids once across replicas: one INSERT … ON CONFLICT DO NOTHING per batch.

Every replica inserts the ids it receives into ``processed_updates``; the primary key lets
one insert win, and ``RETURNING`` says which ids this statement inserted. Ids that arrive
while a statement is on its way wait and go together in the next one, so under load one
round trip claims many updates, and at rest an id goes at once (no timer, no added delay).
Ids go in ascending order: two replicas inserting overlapping batches then lock the rows in
the same order and one waits for the other, where in arrival order PostgreSQL found them
deadlocked (seen in the racing test).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.db import Database
from bot.storage.models import ProcessedUpdate

TABLE = ProcessedUpdate.__table__


class UpdateClaims:
    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self.db = db
        self.now = now
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        self._insert = (dialect.insert(TABLE).on_conflict_do_nothing(index_elements=[TABLE.c.update_id])
                        .returning(TABLE.c.update_id))
        self._waiting: dict[int, asyncio.Future[bool]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, update_id: int) -> bool:
        """True for the first claim of ``update_id`` in any replica, ever; False for any other."""
        if update_id in self._waiting:
            return False  # the same id twice in one batch: the first one claims it
        future = asyncio.get_running_loop().create_future()
        self._waiting[update_id] = future
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        """Insert what waits, batch after batch, until nothing does."""
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            try:
                at = self.now()
                async with self.db.transaction() as repos:
                    rows = await repos.session.execute(
                        self._insert, [{"update_id": i, "received_at": at} for i in sorted(batch)])
                    taken = set(rows.scalars())
            except Exception as error:  # every waiter fails: their requests are answered 500
                for future in batch.values():
                    if not future.done():
                        future.set_exception(error)
                continue
            for update_id, future in batch.items():
                if not future.done():
                    future.set_result(update_id in taken)


async def forget_claims(db: Database, before: datetime) -> int:
    """Drop the ids claimed before ``before``: Telegram keeps an undelivered update for 24 hours,
    so an id older than that is never retried and its row only costs space."""
    async with db.transaction() as repos:
        result = await repos.session.execute(delete(TABLE).where(TABLE.c.received_at < before))
        return int(result.rowcount or 0)
