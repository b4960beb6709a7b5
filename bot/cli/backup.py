"""``python -m bot backup OUT``: a consistent copy of the SQLite database (safe while the bot runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import database_url_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("backup", help="copy the SQLite database to OUT (PostgreSQL: pg_dump)")
    parser.add_argument("out", type=Path, metavar="OUT", help="the backup file to write (must not exist)")
    database_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.backup import BackupRefused, backup

    try:
        backup(args.database_url or get_settings().database_url, args.out)
    except BackupRefused as refused:
        print(f"没有备份 / not backed up: {refused}", file=sys.stderr)
        return 2
    print(f"已备份 / backed up: {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0
