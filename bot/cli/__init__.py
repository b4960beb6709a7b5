"""The command line: ``python -m bot <command>``.

Each command lives in its own module exposing ``register(subparsers)``; the module adds its
parser and sets ``func`` to a callable taking the parsed arguments and returning an exit code.
Heavy imports (SQLAlchemy, Telegram) stay inside the commands that need them, so that
``check`` and ``audit`` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Order is the order shown in --help.
COMMAND_MODULES = ("run", "local", "webhook", "check", "suggest", "audit", "report", "knowledge", "roster", "migrate")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or only ``only``'s: a command run imports no other command's module."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Kefu Assist 客服助手: phrasings, banned-phrase checks, order tags, handoffs.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in COMMAND_MODULES else COMMAND_MODULES:
        module = importlib.import_module(f"bot.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    from bot.knowledge.problems import KnowledgeError

    try:
        return int(args.func(args) or 0)
    except KnowledgeError as error:  # broken files and no good version recorded: say where, no traceback
        from bot.cli.common import print_problems

        print_problems(error)
        print("数据库里也没有可用的知识库版本，没有运行。/ no good version recorded to fall back on: not run.", file=sys.stderr)
        return 2
