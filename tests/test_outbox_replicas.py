"""The outbox with two replicas live at once on this machine's PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.outbox import Outgoing, queue
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.models import Event, OutboxMessage
from bot.storage.scratch import scratch_postgres
from tests.fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242:OUTBOX-TEST"
CHAT = 5001
QUEUED_AT = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # pinned, and long past whatever day the test runs


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[str]:
    async with scratch_postgres(postgres_url, "kefu_outbox") as url:
        await upgrade_async(url)
        yield url


def _event(subject: str) -> dict[str, object]:
    return {"type": "report_sent", "person_id": None, "team": "T1", "at": QUEUED_AT, "subject": subject,
            "detail": None, "order_id": None}


async def test_two_transactions_queueing_the_same_message_at_once_both_keep_their_writes(database: str) -> None:
    first, second = Database(database), Database(database)
    notice = Outgoing(CHAT, "test_notice", 1, "交接提醒")
    queued_by_first = asyncio.Event()
    try:
        async def one(db: Database, name: str, wait: asyncio.Event | None) -> int:
            async with db.transaction() as repos:
                await repos.events.add_all([_event(f"{name}-before")])
                if wait is not None:
                    await wait.wait()
                added = await queue(repos, [notice], QUEUED_AT)  # the second waits on the first's row …
                if wait is None:
                    queued_by_first.set()
                    await asyncio.sleep(0.5)  # … until the first commits
                await repos.events.add_all([_event(f"{name}-after")])
                return added

        # the old code: the second's flush failed on the unique key and its whole transaction was lost
        added = await asyncio.gather(one(first, "first", None), one(second, "second", queued_by_first))
        assert sorted(added) == [0, 1]
        async with first.transaction() as repos:
            assert await repos.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
            subjects = set(await repos.session.scalars(select(Event.subject)))
        assert subjects == {"first-before", "first-after", "second-before", "second-after"}
    finally:
        await first.close()
        await second.close()


async def test_two_replica_processes_send_each_message_once_with_a_slow_bot_api(database: str, tmp_path: Path) -> None:
    db = Database(database)
    texts = [f"通知 {n}" for n in range(8)]
    async with db.transaction() as repos:
        await queue(repos, [Outgoing(CHAT, "test_notice", n, text) for n, text in enumerate(texts)], QUEUED_AT)
    await db.close()
    api = FakeBotAPI(TOKEN)
    base = await api.start()
    api.delay = 2.0  # every send taken at once, answered 2 s later: a pass of 8 outlives a 10 s lease
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base, "DATABASE_URL": database,
           "KNOWLEDGE_DIR": str(ROOT / "knowledge"), "KNOWLEDGE_WATCH_SECONDS": "0",
           "TELEGRAM_WEBHOOK_URL": "https://bot.example/telegram", "TELEGRAM_WEBHOOK_SECRET": "secret_42",
           "WEBHOOK_PORT": "0", "OUTBOX_POLL_SECONDS": "0.5", "SCHEDULER_SECONDS": "3600"}
    replicas = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "webhook", env=env, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL,
        stdout=open(tmp_path / f"replica{n}.log", "wb"), stderr=asyncio.subprocess.STDOUT) for n in range(2)]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(set(api.texts_to(CHAT))) < len(texts):
            await asyncio.sleep(0.2)
        await asyncio.sleep(4)  # both replicas' passes run several times more
        sent = sorted(api.texts_to(CHAT))
        logs = "\n".join((tmp_path / f"replica{n}.log").read_text(errors="replace")[-2000:] for n in range(2))
        assert sent == sorted(texts), logs  # the old code (one lease a pass): the last few twice
    finally:
        for process in replicas:
            process.terminate()
        for process in replicas:
            await process.wait()
        await api.stop()
    db = Database(database)
    try:
        async with db.transaction() as repos:
            rows = (await repos.session.scalars(select(OutboxMessage))).all()
        assert len(rows) == 8 and all(r.sent_at is not None and r.claimed_by is None and r.uncertain_at is None for r in rows)
    finally:
        await db.close()
