"""Shared fixtures: the shipped knowledge, real SQLite files and (when reachable) PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.knowledge_fixtures import checker, knowledge_copy, loaded  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from bot.services import Services


@pytest.fixture(scope="session", autouse=True)
def knowledge_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled knowledge cache in a folder of the test run (never the user's), for every
    load, the bot's and the command lines' run as subprocesses alike."""
    path = tmp_path_factory.mktemp("knowledge-cache")
    os.environ["KEFU_CACHE_DIR"] = str(path)
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}"


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("KEFU_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL not reachable (KEFU_TEST_POSTGRES_URL unset)")
    return url


async def _outbox_drained(services: Services) -> None:
    """Until the outbox has sent what local mode's first sweep queued (the demo day's reminders
    and notes), so none of it lands between a test's question and the bot's answer."""
    while True:
        async with services.db.transaction() as repos:
            pending, _ = await repos.outbox.pending()
        if not pending:
            return
        await asyncio.sleep(0.1)


@pytest.fixture
async def local_server(sqlite_url: str, knowledge_copy: Path) -> AsyncIterator[str]:
    """Local mode on a free loopback port over a fresh SQLite file (demo data loaded) and a copy of
    the knowledge (an approved proposal writes to it); its base URL."""
    from bot.local.server import serve
    from bot.services import Services
    from bot.storage.migrate import upgrade_async
    from tests.bot_harness import settings_for

    await upgrade_async(sqlite_url)
    services = Services.create(settings_for(sqlite_url, telegram_bot_token=None, outbox_poll_seconds=0.5,
                                             knowledge_dir=knowledge_copy))
    started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()
    server = asyncio.create_task(serve(services, "127.0.0.1", 0, started=started, stop=stop))
    port = await asyncio.wait_for(started, 30)
    await asyncio.wait_for(_outbox_drained(services), 30)
    yield f"http://127.0.0.1:{port}"
    stop.set()
    await server
