"""The command line: ``kefu <command>`` (or ``python -m bot <command>``).

Each command lives in a module exposing ``register(subparsers)`` (``backup`` and ``restore``
share one); the module adds its parsers and sets ``func`` to a callable taking the parsed
arguments and returning an exit code.
Heavy imports (SQLAlchemy, Telegram) stay inside the commands that need them, so that
``check`` and ``audit`` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__

# Command -> its module; the order is the order shown in --help.
COMMAND_MODULES = {name: name for name in ("run", "local", "webhook", "check", "suggest", "audit", "report",
                                           "knowledge", "roster", "migrate", "backup")} | {"restore": "backup"}
OK, FAILED, BAD_INPUT, INTERRUPTED, BROKEN_PIPE = 0, 1, 2, 130, 141  # 1 (failed) is what a command returns or an uncaught error gives
EXIT_CODES = """\
退出码 / exit codes:
  0    完成 / done
  1    失败 (check: 有不可发送的草稿; suggest: 没有相符的话术; 数据库出错或连不上) /
       failed (check: a draft must not be sent; suggest: nothing matched; the database refused or is unreachable)
  2    输入或设置有误，什么都没改 / bad input or settings: nothing was changed
  130  被中断 / interrupted (Ctrl+C)
  141  输出被关闭 / the output was closed (e.g. piped into head)"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or only ``only``'s: a command run imports no other command's module."""
    parser = argparse.ArgumentParser(
        prog="kefu" if Path(sys.argv[0]).name == "kefu" else "python -m bot",
        description="Kefu Assist 客服助手: phrasings, banned-phrase checks, order tags, handoffs.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kefu-assist {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMAND_MODULES[only]] if only in COMMAND_MODULES else dict.fromkeys(COMMAND_MODULES.values())
    for name in modules:
        module = importlib.import_module(f"bot.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)  # bad arguments: the usage and the error, exit 2
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return BAD_INPUT
    from bot.errors import SettingsError, UserError
    from bot.knowledge.problems import KnowledgeError

    try:
        return int(args.func(args) or OK)
    except SettingsError as error:
        print(f"设置有误 (环境变量或 .env) / bad settings (environment or .env):\n{error}", file=sys.stderr)
        return BAD_INPUT
    except UserError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return BAD_INPUT
    except KnowledgeError as error:  # broken files and no good version recorded: say where, no traceback
        from bot.cli.common import print_problems

        print_problems(error)
        print("数据库里也没有可用的知识库版本，没有运行。/ no good version recorded to fall back on: not run.", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as a shell tool does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return BROKEN_PIPE
    except Exception as error:  # noqa: BLE001 - only the database's own errors are said plainly
        if not _database_error(error):
            raise
        print(f"数据库出错或连不上 / the database failed or cannot be reached: {error}", file=sys.stderr)
        return FAILED


def _database_error(error: BaseException) -> bool:
    """An error from the database driver or the connection to it (SQLAlchemy is not imported
    here: most commands never load it)."""
    module = type(error).__module__
    return module.startswith(("sqlalchemy", "asyncpg", "sqlite3", "aiosqlite")) or isinstance(error, ConnectionError)


def entry_point() -> None:
    """The ``kefu`` console script."""
    sys.exit(main())
