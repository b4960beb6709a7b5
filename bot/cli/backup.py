"""``python -m bot backup OUT`` — a consistent copy of the SQLite database, safe while the bot
runs — and ``restore IN``, a backup put in place of the database (stop the bot first)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import database_url_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    for name, file, help_text, file_help in (
        ("backup", "OUT", "copy the SQLite database to OUT (PostgreSQL: pg_dump)",
         "the backup file to write (must not exist)"),
        ("restore", "IN", "replace the SQLite database by a backup (stop the bot first)",
         "a file written by `backup`"),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        parser.add_argument("file", type=Path, metavar=file, help=file_help)
        database_url_argument(parser)
        parser.set_defaults(func=run_backup if name == "backup" else run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.backup import BackupRefused, backup

    try:
        backup(args.database_url or get_settings().database_url, args.file)
    except BackupRefused as refused:
        print(f"没有备份 / not backed up: {refused}", file=sys.stderr)
        return 2
    print(f"已备份 / backed up: {args.file} ({args.file.stat().st_size:,} bytes)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from bot.cli.migrate import safe_url
    from bot.config import get_settings
    from bot.storage.backup import BackupRefused, restore
    from bot.storage.migrate import current_revision, upgrade

    url = args.database_url or get_settings().database_url
    try:
        kept = restore(url, args.file)
    except BackupRefused as refused:
        print(f"没有恢复 / not restored: {refused}", file=sys.stderr)
        return 2
    upgrade(url)  # a backup from an older release is brought to this release's schema
    print(f"已恢复 / restored {args.file} → {safe_url(url)} (revision {current_revision(url)})")
    if kept is not None:
        print(f"原来的数据库保留在 / the database it replaced is kept as: {kept}")
    return 0
