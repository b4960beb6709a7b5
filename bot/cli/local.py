"""``python -m bot local [--port P]``: the bot without Telegram, behind a chat page on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bot.cli.common import configure_logging, port, seed_knowledge

if TYPE_CHECKING:
    from bot.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("local", help="the bot without Telegram: a chat page on 127.0.0.1")
    parser.add_argument("--port", type=port, help="default: $LOCAL_PORT or 8080")
    parser.add_argument("--host", help="default: $LOCAL_HOST or 127.0.0.1 (loopback only)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.migrate import upgrade

    settings = get_settings()
    configure_logging(settings.log_level)
    upgrade(settings.database_url)
    seed_knowledge(settings.knowledge_dir)
    return serve_local(args.host or settings.local_host, args.port if args.port is not None else settings.local_port)


def serve_local(host: str, port: int, services: Services | None = None) -> int:
    from bot.config import get_settings
    from bot.local.server import serve
    from bot.services import Services

    try:
        asyncio.run(serve(services or Services.create(get_settings()), host, port))
    except KeyboardInterrupt:
        pass
    return 0
