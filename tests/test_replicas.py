"""Several replicas on one PostgreSQL database (the real server of this machine)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.leases import Leases
from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.storage.models import DailyReport, Event, OutboxMessage
from bot.storage.scratch import scratch_postgres
from bot.telegram.outbox_sender import JOB as DELIVER
from tests.replica import NOW, post, replica, update

pytestmark = pytest.mark.postgres
SH = ZoneInfo("Asia/Shanghai")
AGENT, LEAD = 1001, 4001


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[str]:
    async with scratch_postgres(postgres_url, "kefu_replicas") as url:
        yield url


async def test_the_same_update_posted_to_two_replicas_is_processed_once(database: str) -> None:
    async with replica(database) as first, replica(database) as second:
        await first.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        async with aiohttp.ClientSession() as http:
            answers = await asyncio.gather(*(post(http, r.url, update(77, AGENT, "这款我们不补货了"))
                                             for r in (first, second, first, second)))
        assert [status for status, _ in answers] == [200, 200, 200, 200]
        await asyncio.sleep(0.3)  # anything else either replica would send
        verdicts = [text for _, text in answers if text] + [c.text for c in first.api.sent(AGENT) + second.api.sent(AGENT)]
        assert len(verdicts) == 1 and "工厂不再生产了" in verdicts[0]


async def test_a_daily_report_racing_in_two_replicas_is_sent_once(database: str) -> None:
    async with replica(database, outbox_poll_seconds=0.2) as first, replica(database, outbox_poll_seconds=0.2) as second:
        await first.services.roster.add(LEAD, NewMember("李组长", Role.TEAM_LEAD, "T1"))
        agent = await first.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        async with first.services.db.transaction() as repos:
            await repos.events.add_all([{"type": "draft_checked", "person_id": agent.id, "team": "T1",
                                         "at": datetime(2026, 11, 23, 10, tzinfo=SH), "subject": None,
                                         "detail": "ok", "order_id": None}])
        # both replicas' sweeps fall due at once (their clocks are pinned: the sweep catches up no other day)
        queued = await asyncio.gather(first.services.reports.send_due(NOW), second.services.reports.send_due(NOW))
        assert sorted(queued) == [0, 2]  # the text and the chart, queued by one of them
        async with first.services.db.transaction() as repos:
            assert await repos.session.scalar(select(func.count()).select_from(DailyReport)) == 1
            assert await repos.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
            assert await repos.session.scalar(select(func.count()).select_from(Event).where(
                Event.type == "report_sent")) == 1
        def sent() -> list[str]:
            return sorted(c.method for r in (first, second) for c in r.api.calls if c.chat_id == LEAD)

        for _ in range(150):  # until delivered (a busy machine may take a while) …
            if len(sent()) >= 2:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # … and then both replicas' outbox jobs run five times more
        assert sent() == ["sendMessage", "sendPhoto"]


async def test_a_lease_is_taken_over_after_its_holder_is_killed(database: str) -> None:
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade_async

    await upgrade_async(database)
    db = Database(database)
    try:
        now = datetime(2026, 11, 24, 9, 0, tzinfo=SH)
        first, second = Leases(db, "replica-1"), Leases(db, "replica-2")
        assert await first.acquire(DELIVER, timedelta(seconds=10), now)
        assert not await second.acquire(DELIVER, timedelta(seconds=10), now + timedelta(seconds=5))
        assert await first.acquire(DELIVER, timedelta(seconds=10), now + timedelta(seconds=6))  # renewed
        # replica-1 is killed: it renews no more; once the lease has run out, replica-2 takes it
        assert not await second.acquire(DELIVER, timedelta(seconds=10), now + timedelta(seconds=15))
        assert await second.acquire(DELIVER, timedelta(seconds=10), now + timedelta(seconds=17))
        assert not await first.acquire(DELIVER, timedelta(seconds=10), now + timedelta(seconds=18))
        results = await asyncio.gather(*(Leases(db, f"r{n}").acquire("race", timedelta(seconds=10), now)
                                         for n in range(6)))
        assert results.count(True) == 1  # six replicas starting at once: one wins
    finally:
        await db.close()
