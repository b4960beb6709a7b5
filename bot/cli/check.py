"""``python -m bot check``: the banned-phrase check from the command line.

``check "draft" …`` prints a readable verdict; ``check --jsonl`` is the machine interface
(one draft per stdin line → one JSON object per stdout line, in order); ``check`` alone on a
terminal opens a prompt to try drafts by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from bot.checker.engine import Checker
from bot.checker.result import CheckResult
from bot.cli.common import knowledge_dir_argument, load_or_exit

_VERDICT_LABELS = {"ok": "✅ 可以发送 (ok)", "warn": "⚠️ 建议修改 (warn)", "block": "⛔ 不可发送 (block)"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="check drafts against the banned-phrase rules")
    parser.add_argument("drafts", nargs="*", metavar="DRAFT", help="draft reply text(s) to check")
    parser.add_argument(
        "--jsonl", action="store_true", help="read one draft per line on stdin, write JSON lines"
    )
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.jsonl and not args.drafts:
        if sys.stdin.isatty():
            return interactive(load_or_exit(args).checker)
        print("给出要检查的草稿，或用 --jsonl 从标准输入读取 / give a draft, or use --jsonl", file=sys.stderr)
        return 2
    checker = load_or_exit(args).checker
    if args.jsonl:
        write_jsonl(checker, _stdin_lines(), sys.stdout)
        return 0
    results = [checker.check(draft) for draft in args.drafts]
    for result in results:
        print(format_result(result))
    return 1 if any(r.verdict == "block" for r in results) else 0


def _stdin_lines() -> Iterable[str]:
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stdin is None:  # pragma: no cover - replaced stdin without a buffer
        yield from (line.rstrip("\r\n") for line in sys.stdin)
        return
    for raw in stdin:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def write_jsonl(checker: Checker, lines: Iterable[str], out) -> None:  # type: ignore[no-untyped-def]
    """One JSON object per input line, in order, flushed in batches."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    batch: list[str] = []
    for line in lines:
        batch.append(dumps(checker.check(line).to_json()))
        if len(batch) >= 512:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()


def format_result(result: CheckResult) -> str:
    """A verdict a person reads: what is wrong (the rule's name, never its id), why, what to say instead."""
    lines = [f"{_VERDICT_LABELS[result.verdict]}  {result.text}"]
    for number, flag in enumerate(result.flags, 1):
        lines.append(
            f"  {number}. [{flag.severity.value}] {flag.name} 「{flag.matched}」"
            f" ({flag.start}–{flag.end})"
        )
        lines.append(f"     原因: {flag.reason}")
        for suggestion in flag.suggestions[:3]:
            lines.append(f"     建议: {suggestion}")
    if result.rewrite is not None:
        lines.append(f"  改写: {result.rewrite}")
    return "\n".join(lines)


def interactive(checker: Checker) -> int:
    """A prompt for trying the checker by hand (``python -m bot check`` on a terminal)."""
    print("输入草稿回车检查，Ctrl-D 退出 / type a draft and press Enter, Ctrl-D to quit")
    while True:
        try:
            draft = input("草稿> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if draft.strip():
            print(format_result(checker.check(draft)))
