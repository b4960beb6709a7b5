"""``INSERT … ON CONFLICT DO NOTHING`` on either database: the same statement, the session's dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_unless_there(session: AsyncSession, table: Table, *key: str) -> Any:
    """An insert that skips a row whose ``key`` columns are taken, returning the inserted ids."""
    bind = session.bind
    dialect = postgresql if bind is not None and bind.dialect.name == "postgresql" else sqlite
    return (dialect.insert(table).on_conflict_do_nothing(index_elements=[table.c[name] for name in key])
            .returning(table.c.id))
