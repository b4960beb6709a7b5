"""``python -m bot migrate``: bring the database to the latest schema."""

from __future__ import annotations

import argparse

from bot.cli.common import database_url_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("migrate", help="bring the database to the latest schema")
    database_url_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.migrate import current_revision, upgrade

    url = args.database_url or get_settings().database_url
    upgrade(url)
    print(f"数据库已是最新 / database at revision {current_revision(url) or 'head'}: {safe_url(url)}")
    return 0


def safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
