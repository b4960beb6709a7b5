"""Database URLs: which the bot can use, and what they point at (no connection made)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url

DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
EXAMPLES = "sqlite+aiosqlite:///./data/kefu.db, postgresql+asyncpg://user:password@host:5432/kefu"


def usable_database_url(url: str) -> URL:
    """``url`` parsed, or ValueError saying which forms work (a typo fails here, not mid-start)."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - SQLAlchemy's ArgumentError and ValueError alike
        raise ValueError(f"不是数据库地址 / not a database URL: {url!r} (e.g. {EXAMPLES})") from None
    if parsed.drivername not in DRIVERS:
        raise ValueError(f"不支持 {parsed.drivername} / unsupported driver {parsed.drivername!r}: use {EXAMPLES}")
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
