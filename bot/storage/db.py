"""Engine and session factory; SQLite gets foreign keys and WAL on every connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.storage.repositories import Repositories


def ensure_sqlite_directory(url: str) -> None:
    """Create the parent directory of a SQLite file (``./data/`` on a fresh checkout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str) -> AsyncEngine:
    ensure_sqlite_directory(url)
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")  # the CLI and the bot may write at once
            # WAL + NORMAL: a commit survives a crash of the bot; only a power cut can undo the
            # last commits (no fsync per commit, which would cost milliseconds per update).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


class Database:
    """The engine and one transaction per unit of work: ``async with db.transaction() as repos``.

    The transaction commits when the block ends normally and rolls back on an exception, so
    a failed update changes nothing.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessions = session_factory(self.engine)
        # SQLite has one writer at a time; two of our connections writing at once would meet
        # in SQLite's busy handler, which sleeps in steps of milliseconds. Queueing the
        # transactions here instead costs nothing and keeps every update fast.
        self._serial = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        """One transaction (not re-entrant: never open one inside another)."""
        if self._serial is None:
            async with self.sessions() as session, session.begin():
                yield Repositories.over(session)
            return
        async with self._serial, self.sessions() as session, session.begin():
            yield Repositories.over(session)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repositories]:
        """A look that writes nothing (rolled back at the end): on SQLite it does not queue behind
        the writers — WAL lets readers run beside the one writer."""
        async with self.sessions() as session:
            yield Repositories.over(session)

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()
