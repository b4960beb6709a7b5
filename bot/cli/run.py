"""``python -m bot run``: start what exists of the bot (the README's run command)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import knowledge_dir_argument, load_or_exit
from bot.cli.migrate import safe_url


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot (database, knowledge, then Telegram)")
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.storage.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    if args.knowledge is None:
        args.knowledge = settings.knowledge_dir
    loaded = load_or_exit(args)
    knowledge = loaded.knowledge
    print("Kefu Assist 客服助手")
    print(f"  database:  {safe_url(settings.database_url)} (migrated)")
    print(f"  timezone:  {settings.shop_timezone}")
    print(f"  knowledge: {args.knowledge} — {len(knowledge.phrasings)} phrasings, {len(knowledge.rules)} rules")
    if settings.telegram_bot_token is None:
        print(
            "\n没有 Telegram 令牌：Telegram 机器人需要 TELEGRAM_BOT_TOKEN（向 @BotFather 申请）。\n"
            "No Telegram token: the Telegram bot needs TELEGRAM_BOT_TOKEN (from @BotFather).\n"
            "The Telegram bot and the local chat page arrive in the next releases; the phrase\n"
            "engine works now: python -m bot check / suggest / audit."
        )
    else:
        print("\nA token is set, but the Telegram part is not in this release yet.")
    if sys.stdin.isatty():
        from bot.cli.check import interactive

        return interactive(loaded.checker)
    return 0
