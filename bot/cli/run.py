"""``python -m bot run``: the bot (the README's run command).

With ``TELEGRAM_BOT_TOKEN`` set it runs long polling against ``TELEGRAM_API_BASE_URL``.
Without one it runs local mode: the same bot behind a chat page on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import configure_logging, knowledge_dir_argument, print_problems, seed_knowledge
from bot.cli.migrate import safe_url
from bot.knowledge.problems import KnowledgeError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot (database, knowledge, then Telegram)")
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.services import Services
    from bot.storage.migrate import upgrade

    settings = get_settings()
    configure_logging(settings.log_level)
    upgrade(settings.database_url)
    if args.knowledge is None:
        args.knowledge = settings.knowledge_dir
    seed_knowledge(args.knowledge)
    services = Services.create(settings, knowledge_dir=args.knowledge)  # broken files, no good version: exits 2
    knowledge = services.knowledge.current.knowledge
    print("Kefu Assist 客服助手")
    print(f"  database:  {safe_url(settings.database_url)} (migrated)")
    print(f"  timezone:  {settings.shop_timezone}")
    print(f"  knowledge: {args.knowledge} — {len(knowledge.phrasings)} phrasings, {len(knowledge.rules)} rules")
    if services.knowledge.problems:
        print_problems(KnowledgeError(services.knowledge.problems, Path(args.knowledge)))
        print("  → 使用数据库里最后一个好的版本运行 / running on the last good version recorded", file=sys.stderr)
    if settings.telegram_bot_token is not None and settings.telegram_bot_token.get_secret_value():
        from bot.telegram.app import run_polling

        print(f"  Bot API:   {settings.bot_api_base_url.split('{')[0]}… (long polling; Ctrl+C stops)")
        print(f"  status:    http://{settings.status_host}:{settings.status_port}/health and /metrics")
        run_polling(services)
        return 0
    print(
        "\n没有 Telegram 令牌：以本地模式运行（同一个机器人，不连接 Telegram）。\n"
        "No Telegram token (TELEGRAM_BOT_TOKEN, from @BotFather): running in local mode,\n"
        "the very same bot behind a chat page on this machine."
    )
    from bot.cli.local import serve_local

    return serve_local(settings.local_host, settings.local_port, services)
