"""Migrations and the audit-run repository on real databases (SQLite file; PostgreSQL when reachable)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from bot.storage import migrate
from bot.storage.db import create_engine, session_factory
from bot.storage.repositories import Repositories
from bot.storage.scratch import scratch_postgres

AUDIT_COLUMNS = {
    "id", "started_at", "finished_at", "source", "lines_read", "drafts_checked", "drafts_flagged",
    "drafts_blocked", "per_rule", "per_agent", "created_by",
}


async def _tables(url: str) -> dict[str, set[str]]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(
            lambda sync: {t: {c["name"] for c in inspect(sync).get_columns(t)} for t in inspect(sync).get_table_names()}
        )
    await engine.dispose()
    return tables


async def _round_trip(url: str) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    started = datetime(2026, 11, 23, 1, 30, tzinfo=timezone(timedelta(hours=8)))
    async with sessions() as session:
        repos = Repositories.over(session)
        run = await repos.audit_runs.add("chats.csv", created_by="主管")
        run.started_at = started
        await repos.audit_runs.finish(
            run, lines_read=10, drafts_checked=8, drafts_flagged=3, drafts_blocked=2,
            per_rule={"taboo.wei": 2}, per_agent={"A07": {"checked": 8, "flagged": 3, "blocked": 2}},
        )
        await session.commit()
    async with sessions() as session:
        (stored,) = await Repositories.over(session).audit_runs.recent()
    await engine.dispose()
    assert stored.started_at == started and stored.started_at.tzinfo is not None
    assert stored.started_at.utcoffset() == timedelta(0)
    assert stored.finished_at is not None and stored.finished_at <= datetime.now(UTC)
    assert (stored.drafts_flagged, stored.per_rule, stored.per_agent["A07"]["blocked"]) == (3, {"taboo.wei": 2}, 2)


BOT_TABLES = {
    "audit_runs", "people", "invites", "orders", "events", "fill_requests", "shift_sessions", "handoff_drafts",
    "handoff_notes", "handoff_items", "handoff_reads", "outbox", "daily_reports", "leases", "processed_updates",
    "knowledge_versions", "proposals", "reply_prompts", "disputes", "practice_sessions", "service_days",
}


async def _schema_drift(url: str) -> list[object]:
    """What the migrations left different from the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.models import Base

    engine = create_engine(url)
    async with engine.connect() as connection:
        drift = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    await engine.dispose()
    return drift


def _up_and_down(url: str) -> None:
    migrate.upgrade(url)
    tables = asyncio.run(_tables(url))
    assert tables["audit_runs"] == AUDIT_COLUMNS
    assert BOT_TABLES <= set(tables)
    assert asyncio.run(_schema_drift(url)) == []
    asyncio.run(_round_trip(url))
    migrate.downgrade(url, "0001")
    assert set(asyncio.run(_tables(url))) & BOT_TABLES == {"audit_runs"}
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    assert not set(asyncio.run(_tables(url))) & BOT_TABLES


def test_sqlite_migrations_up_and_down(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    assert migrate.current_revision(sqlite_url) == "0010"
    migrate.downgrade(sqlite_url, "base")
    _up_and_down(sqlite_url)


def test_disputes_migration_up_and_down_alone(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url, "0006")
    assert "disputes" not in asyncio.run(_tables(sqlite_url))
    migrate.upgrade(sqlite_url)
    assert "disputes" in asyncio.run(_tables(sqlite_url))
    migrate.downgrade(sqlite_url, "0006")
    tables = asyncio.run(_tables(sqlite_url))
    assert "disputes" not in tables and "proposals" in tables
    migrate.upgrade(sqlite_url)
    assert asyncio.run(_schema_drift(sqlite_url)) == []


async def test_upgrade_from_a_running_event_loop(sqlite_url: str) -> None:
    await migrate.upgrade_async(sqlite_url)
    assert "audit_runs" in await _tables(sqlite_url)


@pytest.mark.postgres
async def test_postgres_migrations_up_and_down(postgres_url: str) -> None:
    async with scratch_postgres(postgres_url, "kefu_test") as url:
        await asyncio.to_thread(_up_and_down, url)  # Alembic runs its own event loop
