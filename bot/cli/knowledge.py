"""``python -m bot knowledge check [DIR]``: validate a knowledge directory, print a summary."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bot.cli.common import knowledge_dir, load_or_exit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("knowledge", help="knowledge files: validate and summarise")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a knowledge directory")
    check.add_argument("directory", nargs="?", type=Path, help="default: ./knowledge")
    check.set_defaults(func=run_check)


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
    return 0
