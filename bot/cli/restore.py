"""``python -m bot restore IN``: put a backup in place of the SQLite database (stop the bot first)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import database_url_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("restore", help="replace the SQLite database by a backup (stop the bot first)")
    parser.add_argument("source", type=Path, metavar="IN", help="a file written by `backup`")
    database_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.migrate import safe_url
    from bot.config import get_settings
    from bot.storage.backup import BackupRefused, restore
    from bot.storage.migrate import current_revision, upgrade

    url = args.database_url or get_settings().database_url
    try:
        kept = restore(url, args.source)
    except BackupRefused as refused:
        print(f"没有恢复 / not restored: {refused}", file=sys.stderr)
        return 2
    upgrade(url)  # a backup from an older release is brought to this release's schema
    print(f"已恢复 / restored {args.source} → {safe_url(url)} (revision {current_revision(url)})")
    if kept is not None:
        print(f"原来的数据库保留在 / the database it replaced is kept as: {kept}")
    return 0
