"""``python -m bot webhook``: one webhook replica (several behind a load balancer, on PostgreSQL)."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import configure_logging


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("webhook", help="run a webhook replica (TELEGRAM_WEBHOOK_URL, _SECRET)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.services import Services
    from bot.storage.migrate import upgrade
    from bot.telegram.webhook import serve_webhook

    settings = get_settings()
    configure_logging(settings.log_level)
    if not settings.telegram_bot_token or not settings.telegram_webhook_url or not settings.telegram_webhook_secret:
        print("错误 / error: webhook mode needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET")
        return 2
    upgrade(settings.database_url)
    asyncio.run(serve_webhook(Services.create(settings)))
    return 0
