"""``python -m bot migrate``: bring the database to the latest schema."""

from __future__ import annotations

import argparse

from bot.storage.db import ensure_sqlite_directory


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("migrate", help="bring the database to the latest schema")
    parser.add_argument("--database-url", help="default: $DATABASE_URL or ./data/kefu.db")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.migrate import current_revision, upgrade

    url = args.database_url or get_settings().database_url
    ensure_sqlite_directory(url)
    upgrade(url)
    print(f"数据库已是最新 / database at revision {current_revision(url) or 'head'}: {_safe(url)}")
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
