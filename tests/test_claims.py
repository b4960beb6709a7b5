"""Claiming update ids (``processed_updates``) on real databases: once across replicas, in batches."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.storage.claims import UpdateClaims
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.scratch import scratch_postgres


def now() -> datetime:
    return datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def count_statements(db: Database) -> list[str]:
    statements: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[str]:
    async with scratch_postgres(postgres_url, "kefu_claims") as url:
        await upgrade_async(url)
        yield url


@pytest.mark.postgres
async def test_each_update_is_taken_once_by_two_replicas_racing(postgres: str) -> None:
    first, second = Database(postgres), Database(postgres)
    try:
        replicas = [UpdateClaims(first, now), UpdateClaims(second, now)]
        # every id three times, to either replica, in a random order: duplicates meet in one
        # batch, in two batches of one replica, and in both replicas at once
        posts = [(replicas[random.randrange(2)], update_id) for update_id in range(1, 301) for _ in range(3)]
        random.Random(6).shuffle(posts)
        results = await asyncio.gather(*(r.claim(update_id) for r, update_id in posts))
        taken = [update_id for (_, update_id), won in zip(posts, results) if won]
        assert sorted(taken) == list(range(1, 301))
        assert not any(await asyncio.gather(*(r.claim(i) for r in replicas for i in (1, 150, 300))))  # later retries
    finally:
        await first.close()
        await second.close()


@pytest.mark.postgres
async def test_claims_arriving_together_share_one_statement(postgres: str) -> None:
    db = Database(postgres)
    try:
        claims = UpdateClaims(db, now)
        statements = count_statements(db)
        assert await claims.claim(1)  # alone: at once
        inserts = len([s for s in statements if s.startswith("INSERT")])
        assert all(await asyncio.gather(*(claims.claim(i) for i in range(2, 102))))
        assert len([s for s in statements if s.startswith("INSERT")]) - inserts <= 2  # the first, then the rest
    finally:
        await db.close()


async def test_a_claim_that_failed_leaves_the_update_free(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        claims = UpdateClaims(db, now)
        with pytest.raises(OperationalError):  # no table yet: the webhook answers 500 and Telegram retries
            await claims.claim(7)
        await upgrade_async(sqlite_url)
        assert await claims.claim(7) and not await claims.claim(7)
    finally:
        await db.close()


async def test_claims_older_than_two_days_are_forgotten_by_the_sweep(sqlite_url: str) -> None:
    from datetime import timedelta

    from tests.bot_harness import BotHarness

    bot = await BotHarness.start(sqlite_url, clock=now)
    try:
        old = UpdateClaims(bot.services.db, lambda: now() - timedelta(hours=49))
        recent = UpdateClaims(bot.services.db, lambda: now() - timedelta(hours=47))
        assert await old.claim(1) and await recent.claim(2)
        await bot.sweep()
        assert await UpdateClaims(bot.services.db, now).claim(1)  # forgotten: it could be taken again
        assert not await UpdateClaims(bot.services.db, now).claim(2)  # kept
    finally:
        await bot.stop()
