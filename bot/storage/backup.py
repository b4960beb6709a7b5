"""Backup and restore of the SQLite database (one file, copied consistently while the bot runs).

PostgreSQL is refused with the ``pg_dump`` / ``pg_restore`` commands that do it properly.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.urls import sqlite_file


class BackupRefused(Exception):
    """Nothing was written: why, in both languages."""


def backup(url: str, out: Path) -> Path:
    """``VACUUM INTO out``: a compact, consistent copy, even while the bot writes (WAL)."""
    database = _sqlite_or_refuse(url, "backup", out)
    if not database.is_file():
        raise BackupRefused(f"没有数据库文件 / no database at {database}")
    if out.exists():
        raise BackupRefused(f"{out} 已存在，不覆盖 / {out} exists: not overwritten")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _connect(database) as connection:
        connection.execute("VACUUM INTO ?", (str(out),))
    return out


def restore(url: str, source: Path) -> Path | None:
    """Put ``source`` in place of the database; the file it replaces is kept beside it, returned.

    The source is checked first (an SQLite file of this bot, intact); the copy is written next
    to the database and renamed over it, so a failure leaves the database as it was.
    """
    database = _sqlite_or_refuse(url, "restore", source)
    _check_backup(source)
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    with _connect(source) as old, _connect(incoming) as new:
        old.backup(new)
    kept = None
    if database.exists():
        kept = database.with_name(database.name + ".before-restore")
        os.replace(database, kept)
    for suffix in ("-wal", "-shm"):  # the old file's journal must not be replayed into the new one
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    os.replace(incoming, database)
    return kept


def _check_backup(source: Path) -> None:
    if not source.is_file():
        raise BackupRefused(f"找不到备份文件 / no such backup: {source}")
    try:
        with _connect(source) as connection:
            intact = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            ours = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{source} 不是 SQLite 数据库 / not an SQLite database: {error}") from None
    if not intact or not ours:
        raise BackupRefused(f"{source} 不是本机器人的完整备份 / not an intact Kefu Assist backup")


def _connect(database: Path) -> closing[sqlite3.Connection]:
    """A connection closed at the end of the block (sqlite3's own ``with`` only commits)."""
    return closing(sqlite3.connect(database, timeout=5))  # timeout: waits out the bot's writes


def _sqlite_or_refuse(url: str, action: str, file: Path) -> Path:
    database = sqlite_file(url)
    if database is not None:
        return database
    raise BackupRefused(
        "PostgreSQL 请用它自己的工具 / on PostgreSQL use its own tools (password from PGPASSWORD or ~/.pgpass):\n  "
        + postgres_command(url, action, file))


def postgres_command(url: str, action: str, file: Path) -> str:
    """The ``pg_dump`` (backup) or ``pg_restore`` (restore) command line for ``url``."""
    target = make_url(url).set(drivername="postgresql")._replace(password=None).render_as_string(hide_password=False)
    if action == "backup":
        return f"pg_dump --format=custom --file {file} '{target}'"
    return f"pg_restore --clean --if-exists --no-owner --dbname '{target}' {file}"
