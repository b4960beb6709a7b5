"""Row leases: one replica at a time runs each piece of scheduled work.

A lease is a row (name, holder, expires_at). Taking it is one conditional UPDATE (free,
expired, or already ours) or, the first time, an INSERT that the primary key lets only one
replica win — atomic on PostgreSQL and SQLite alike, no cluster protocol of our own. The
holder renews it on every run; a replica that dies stops renewing, and after ``ttl`` another
takes over.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from bot.storage.db import Database
from bot.storage.models import Lease


def holder_name() -> str:
    """This process, recognisably: host, pid and a random part (pids repeat across containers)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Leases:
    def __init__(self, db: Database, holder: str | None = None) -> None:
        self.db = db
        self.holder = holder or holder_name()

    async def acquire(self, name: str, ttl: timedelta, now: datetime) -> bool:
        """Take or renew ``name`` until ``now + ttl``; False while another holder has it."""
        async with self.db.transaction() as repos:
            taken = await repos.session.execute(
                update(Lease)
                .where(Lease.name == name, or_(Lease.holder == self.holder, Lease.expires_at < now))
                .values(holder=self.holder, expires_at=now + ttl)
            )
            if taken.rowcount == 1:
                return True
            if await repos.session.get(Lease, name) is not None:
                return False
            try:
                async with repos.session.begin_nested():
                    repos.session.add(Lease(name=name, holder=self.holder, expires_at=now + ttl))
            except IntegrityError:
                return False  # another replica inserted it first
            return True

    async def release_all(self) -> None:
        """Give back every lease (a clean shutdown: the others need not wait for the ttl)."""
        async with self.db.transaction() as repos:
            await repos.session.execute(delete(Lease).where(Lease.holder == self.holder))
