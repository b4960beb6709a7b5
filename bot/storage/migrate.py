"""Run Alembic programmatically (``python -m bot migrate`` and start-up).

``env.py`` drives its own event loop, so from inside a running loop the command runs in a
worker thread.
"""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url

from bot.shipped import shipped
from bot.storage.db import ensure_sqlite_directory


def _config(url: str) -> Config:
    config = Config(str(shipped("alembic.ini")))
    config.set_main_option("script_location", str(shipped("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: str, revision: str = "head") -> None:
    ensure_sqlite_directory(url)
    command.upgrade(_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at (sync driver: a one-off read)."""
    sync_url = make_url(url)
    driver = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql+psycopg2"}
    backend = driver.get(sync_url.drivername, sync_url.drivername)
    if backend.startswith("postgresql"):
        return None  # no sync driver installed for PostgreSQL; callers print "head"
    engine = create_sync_engine(sync_url.set(drivername=backend))
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision
