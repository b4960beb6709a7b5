#!/usr/bin/env python3
"""Building one day's report for 200 agents over 1,000,000 events, on SQLite and PostgreSQL.

Run: ``.venv/bin/python scripts/bench_report.py`` (PostgreSQL: set KEFU_BENCH_POSTGRES_URL or
have a server on 127.0.0.1:5432 with a database ``test``; a scratch database is created and
dropped). One team of 200 agents, 30 days of events (~33,000 a day: checks, flags,
suggestions, shifts), an order and a handoff note per agent a day, reads of the notes.

Printed per database: the time to load, the report build time (p50 / max of 5 builds), and
a baseline measured in the same run — one indexed ``count(*)`` of that day's events — so the
ratio shows what the aggregation costs over merely touching the day. Goal: under 1 s each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.reports.build import ReportBuilder, day_range  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade_async  # noqa: E402
from bot.storage.scratch import scratch_postgres  # noqa: E402
from bot.storage.models import Event, HandoffNote, HandoffRead, Order, Person  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
AGENTS, DAYS, EVENTS = 200, 30, 1_000_000
REPORT_DAY = date(2026, 11, 20)
FIRST_DAY = REPORT_DAY - timedelta(days=DAYS - 5)
RULES = ["taboo.wei", "shirk.not_our_problem", "stock.no_restock", "negative.cannot", "privacy.mobile_number"]
KINDS = ["greeting", "apology", "refusal", "thanks", "farewell"]


def event_rows(person_ids: list[int], rng: random.Random):  # type: ignore[no-untyped-def]
    """EVENTS rows spread over DAYS days, in the mix the bot records."""
    seconds = DAYS * 86400
    start = datetime.combine(FIRST_DAY, datetime.min.time(), TZ).astimezone(UTC)
    for _ in range(EVENTS):
        at = start + timedelta(seconds=rng.randrange(seconds))
        person = rng.choice(person_ids)
        roll = rng.random()
        if roll < 0.55:
            row = ("draft_checked", None, rng.choice(("ok", "ok", "ok", "warn", "block")))
        elif roll < 0.70:
            row = ("draft_flagged", rng.choice(RULES), "block")
        elif roll < 0.97:
            kind = rng.choice(KINDS)
            row = ("phrasing_suggested", f"{kind}.x.01", kind)
        else:
            row = ("shift_on", "白班", None)
        yield {"type": row[0], "person_id": person, "team": "T1", "at": at, "subject": row[1], "detail": row[2],
               "order_id": None}


def _sqlite_time(at: datetime) -> str:
    """How SQLAlchemy stores an aware timestamp in SQLite (UTCDateTime): UTC, no zone."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


async def bulk_insert_events(db: Database, rows) -> None:  # type: ignore[no-untyped-def]
    """A million rows through each driver's bulk path (executemany / COPY), not the ORM."""
    columns = ("type", "person_id", "team", "at", "subject", "detail", "order_id")
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        if db.engine.dialect.name == "sqlite":
            batch = [tuple(_sqlite_time(r[c]) if c == "at" else r[c] for c in columns) for r in rows]
            await driver.executemany(
                f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", batch)
            await driver.commit()
        else:
            await driver.copy_records_to_table(
                "events", records=[tuple(r[c] for c in columns) for r in rows], columns=list(columns))
            await driver.execute("VACUUM ANALYZE events")  # what autovacuum does on a live server


async def load(db: Database, seed: int = 5) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    async with db.transaction() as repos:
        people = [Person(telegram_id=10_000 + i, agent_id=f"A{i:03d}", name=f"客服{i:03d}", role="agent", team="T1")
                  for i in range(AGENTS)]
        repos.session.add_all(people)
        await repos.session.flush()
        ids = [p.id for p in people]
    await bulk_insert_events(db, event_rows(ids, rng))
    async with db.transaction() as repos:
        orders, notes = [], []
        for n in range(DAYS):
            day_start = datetime.combine(FIRST_DAY + timedelta(days=n), datetime.min.time(), TZ)
            for person_id in ids:
                logged = day_start + timedelta(hours=9, minutes=rng.randrange(600))
                tagged = logged + timedelta(minutes=rng.randrange(120)) if rng.random() < 0.9 else None
                orders.append({"person_id": person_id, "chat_id": person_id, "number": f"{n:02d}{person_id:017d}",
                               "note": "", "remark": "x", "flag_colour": 1, "logged_at": logged, "tagged_at": tagged,
                               "reminders_sent": 0})
                notes.append({"person_id": person_id, "team": "T1", "shift_name": "白班",
                              "shift_start": day_start + timedelta(hours=8, minutes=30),
                              "next_shift_name": "晚班", "next_shift_start": day_start + timedelta(hours=17),
                              "filed_at": day_start + timedelta(hours=16, minutes=50)})
        await repos.session.execute(insert(Order), orders)
        await repos.session.execute(insert(HandoffNote), notes)
        note_ids = list(await repos.session.scalars(select(HandoffNote.id)))
        reads = [{"note_id": note_id, "person_id": ids[(i + 1) % AGENTS],
                  "read_at": datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=i % 50000)}
                 for i, note_id in enumerate(note_ids) if i % 4]
        await repos.session.execute(insert(HandoffRead), reads)
    return time.perf_counter() - started


async def measure(db: Database, runs: int = 5) -> tuple[list[float], list[float], int]:
    builder = ReportBuilder(TZ, timedelta(minutes=30))
    as_of = datetime.combine(REPORT_DAY + timedelta(days=1), datetime.min.time(), TZ) + timedelta(hours=9)
    start, end = day_range(REPORT_DAY, TZ)
    builds, baselines = [], []
    agents = 0
    for _ in range(runs):
        async with db.transaction() as repos:
            began = time.perf_counter()
            await repos.session.scalar(select(func.count()).select_from(Event).where(
                Event.team == "T1", Event.at >= start, Event.at < end))
            baselines.append(time.perf_counter() - began)
        async with db.transaction() as repos:
            began = time.perf_counter()
            report = await builder.build(repos.session, "T1", REPORT_DAY, as_of)
            builds.append(time.perf_counter() - began)
            agents = len(report.agents)
    return builds, baselines, agents


def show(name: str, loaded: float, builds: list[float], baselines: list[float], agents: int) -> None:
    build, base = statistics.median(builds), statistics.median(baselines)
    print(f"{name:<11} load {loaded:6.1f} s | report ({agents} agents): p50 {build * 1000:7.1f} ms, "
          f"max {max(builds) * 1000:7.1f} ms | baseline count(*) of the day p50 {base * 1000:6.1f} ms | "
          f"ratio {build / base:5.1f}x | goal < 1 s: {'met' if max(builds) < 1 else 'NOT met'}")


async def on(url: str, name: str) -> None:
    await upgrade_async(url)
    db = Database(url)
    try:
        loaded = await load(db)
        builds, baselines, agents = await measure(db)
        show(name, loaded, builds, baselines, agents)
    finally:
        await db.close()


def _postgres_url() -> str | None:
    url = os.environ.get("KEFU_BENCH_POSTGRES_URL") or os.environ.get("KEFU_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return None
    return "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"{EVENTS:,} events, {AGENTS} agents, {DAYS} days; report of {REPORT_DAY} (Asia/Shanghai)")
    with tempfile.TemporaryDirectory() as tmp:
        await on(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "SQLite")
    pg = None if args.skip_postgres else _postgres_url()
    if pg is None:
        print("PostgreSQL   not reachable: skipped (set KEFU_BENCH_POSTGRES_URL)")
        return
    async with scratch_postgres(pg, "kefu_bench") as url:
        await on(url, "PostgreSQL")


if __name__ == "__main__":
    asyncio.run(main())
