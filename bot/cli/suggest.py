"""``python -m bot suggest "situation words" [--kind KIND]``: ranked approved phrasings."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.cli.common import knowledge_dir_argument, load_or_exit, positive


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("suggest", help="suggest approved phrasings for a situation")
    parser.add_argument("words", nargs="?", default="", help="the situation in plain words")
    parser.add_argument("--kind", help="only this kind (greeting, apology, refusal, …)")
    parser.add_argument("--limit", type=positive, default=5, help="how many (default 5)")
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_or_exit(args)
    kinds = {k.id: k.label for k in loaded.knowledge.kinds}
    if args.kind and args.kind not in kinds:
        print(f"没有这个类型 / unknown kind {args.kind!r}; known: {', '.join(kinds)}", file=sys.stderr)
        return 2
    if not args.words and not args.kind:
        print("给出情境或 --kind / give situation words or --kind", file=sys.stderr)
        return 2
    suggestions = loaded.phrasebook.suggest(
        args.words, args.kind, limit=args.limit, at=datetime.now().time()
    )
    if not suggestions:  # as grep: nothing found is exit 1, said on stderr
        print(f"没有找到与「{args.words}」相符的话术 / no phrasing matches {args.words!r}", file=sys.stderr)
        return 1
    for number, suggestion in enumerate(suggestions, 1):
        phrasing = suggestion.phrasing
        print(f"{number}. {suggestion.text}")
        note = f"   {kinds.get(phrasing.kind, phrasing.kind)} · {phrasing.id} · {suggestion.score:g}"
        if suggestion.missing:
            note += " · 需填写: " + ", ".join(suggestion.missing)
        print(note)
    return 0
