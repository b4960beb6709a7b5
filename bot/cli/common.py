"""Helpers shared by the command-line commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.knowledge.problems import KnowledgeError
from bot.knowledge.store import LoadedKnowledge
from bot.shipped import shipped

DEFAULT_KNOWLEDGE_DIR = shipped("knowledge")


def knowledge_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge",
        type=Path,
        default=None,
        metavar="DIR",
        help="knowledge directory (default: $KNOWLEDGE_DIR or ./knowledge)",
    )


def database_url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", type=_database_url, metavar="URL",
                        help="default: $DATABASE_URL or sqlite+aiosqlite:///./data/kefu.db")


def _database_url(text: str) -> str:
    from bot.storage.urls import usable_database_url

    try:
        usable_database_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def knowledge_dir(args: argparse.Namespace) -> Path:
    """The directory asked for, else $KNOWLEDGE_DIR, else ./knowledge, else the shipped one.

    Read from the environment directly (not through the settings class) so that ``check``
    starts without importing pydantic.
    """
    if getattr(args, "knowledge", None):
        return args.knowledge
    if os.environ.get("KNOWLEDGE_DIR"):
        return Path(os.environ["KNOWLEDGE_DIR"])
    local = Path("knowledge")
    return local if (local / "rules").is_dir() else DEFAULT_KNOWLEDGE_DIR


def seed_knowledge(directory: Path) -> None:
    """A new installation's working copy: the shipped default knowledge copied to ``directory``
    when nothing is there (the bot writes approved proposals into it: not the package's copy)."""
    if directory.exists() or not DEFAULT_KNOWLEDGE_DIR.is_dir():
        return
    import shutil

    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, directory)
    print(f"已把默认知识库复制到 {directory}，可以编辑 / copied the default knowledge to {directory} (yours to edit)",
          file=sys.stderr)


def load_or_exit(args: argparse.Namespace) -> LoadedKnowledge:
    """Load the knowledge, or print every problem (file:line: what) and exit 2."""
    directory = knowledge_dir(args)
    try:
        return LoadedKnowledge.from_directory(directory)
    except KnowledgeError as error:
        print_problems(error, directory)
        raise SystemExit(2) from error


def print_problems(error: KnowledgeError, directory: Path | None = None) -> None:
    """Every problem as ``path:line: what`` on standard error (no traceback)."""
    directory = directory or error.directory
    print(f"知识库有错误 / the knowledge in {directory or '?'} is broken:", file=sys.stderr)
    for problem in error.problems:
        where = directory / problem.file if directory and problem.file != str(directory) else problem.file
        print(f"  {where}:{problem.line or '-'}: {problem.message}", file=sys.stderr)


def configure_logging(level: str) -> None:
    """One line per record; the libraries' per-request and per-job chatter kept at warnings."""
    import logging

    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def positive(text: str) -> int:
    """An argparse type: a whole number ≥ 1 (a count, a version number)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数 / not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应不小于 1 / must be at least 1: {value}")
    return value


def port(text: str) -> int:
    """An argparse type: a TCP port, 1–65535."""
    value = positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"端口应在 1–65535 / a port is 1–65535: {value}")
    return value
