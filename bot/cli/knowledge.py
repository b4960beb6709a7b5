"""``python -m bot knowledge check [DIR]``: validate a knowledge directory, print a summary;
``history``, ``diff N`` and ``rollback N --reason R``: the versions kept in the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

from bot.cli.common import knowledge_dir, load_or_exit, positive


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("knowledge", help="knowledge files: validate and summarise")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a knowledge directory")
    check.add_argument("directory", nargs="?", type=Path, help="default: ./knowledge")
    check.set_defaults(func=run_check)
    history = actions.add_parser("history", help="the versions: who, when, why, what changed")
    history.add_argument("--limit", type=positive, default=20)
    history.set_defaults(func=lambda args: asyncio.run(_versions(args)))
    diff = actions.add_parser("diff", help="a version's changes, line by line, against the one before")
    diff.add_argument("number", type=positive)
    diff.set_defaults(func=lambda args: asyncio.run(_versions(args)))
    rollback = actions.add_parser("rollback", help="back to an earlier version (recorded as a new one)")
    rollback.add_argument("number", type=positive)
    rollback.add_argument("--reason", required=True, help="why (kept in the history)")
    rollback.add_argument("--by", default="命令行", help="who, as the history shows it")
    rollback.set_defaults(func=lambda args: asyncio.run(_versions(args)))


def run_check(args: argparse.Namespace) -> int:
    args.knowledge = args.directory
    loaded = load_or_exit(args)
    knowledge = loaded.knowledge
    labels = {k.id: k.label for k in knowledge.kinds}
    per_kind = Counter(p.kind for p in knowledge.phrasings)
    severities = Counter(r.severity.value for r in knowledge.rules)
    seeds = sum(1 for p in knowledge.phrasings if p.source == "seed")
    print(f"知识库正常 / knowledge OK: {knowledge_dir(args)}")
    print(f"  files: {len(knowledge.files)}")
    print(f"  phrasings: {len(knowledge.phrasings)} ({seeds} printed in the handbooks)")
    for kind, count in sorted(per_kind.items(), key=lambda kv: -kv[1]):
        print(f"    {labels.get(kind, kind)} ({kind}): {count}")
    print(f"  situations: {len(knowledge.situations)}")
    print(
        f"  banned rules: {len(knowledge.rules)}"
        f" (block {severities.get('block', 0)}, warn {severities.get('warn', 0)}),"
        f" {sum(len(r.phrases) for r in knowledge.rules)} phrases,"
        f" {sum(len(r.patterns) for r in knowledge.rules)} patterns"
    )
    quality = loaded.quality
    print(
        f"  service quality: {len(quality.rules)} rules; greet within {quality.greeting_seconds:g} s,"
        f" answer within {quality.answer_seconds:g} s, a conversation ends after {quality.idle_minutes:g} min idle"
    )
    return 0


async def _versions(args: argparse.Namespace) -> int:
    """history / diff / rollback over the configured database and knowledge directory."""
    from bot.config import get_settings
    from bot.errors import UserError
    from bot.services import Services
    from bot.storage.migrate import upgrade_async

    settings = get_settings()
    await upgrade_async(settings.database_url)
    services = Services.create(settings)
    try:
        await services.keeper.sync(services.now())  # hand edits first, so the history is whole
        if args.action == "history":
            for version in await services.keeper.history(args.limit):
                when = version.created_at.astimezone(settings.shop_tz).strftime("%Y-%m-%d %H:%M")
                print(f"v{version.number}  {when}  {version.author}  {version.reason or '-'}")
                for change in version.changes:
                    print(f"    {change.change:8} {change.what:9} {change.id}  {change.after or change.before}")
        elif args.action == "diff":
            _, diff = await services.keeper.version(args.number)
            sys.stdout.write(diff or "(no change in the files)\n")
        else:
            version = await services.keeper.rollback(None, args.number, args.reason, services.now(), by=args.by)
            print(f"rolled back to v{args.number}: now v{version.number} ({len(version.changes)} changes)")
    except UserError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 2
    finally:
        await services.close()
    return 0
