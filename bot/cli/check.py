"""``python -m bot check``: the banned-phrase check from the command line.

``check "draft" …`` prints a readable verdict; ``check --jsonl`` is the machine interface
(one draft per stdin line → one JSON object per stdout line, in order); ``check`` alone on a
terminal opens a prompt to try drafts by hand.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable
from json.encoder import encode_basestring  # the C encoder JSONEncoder uses for a str

from bot.checker.engine import Checker
from bot.checker.result import CheckResult
from bot.checker.rewrite import closest_first
from bot.cli.common import knowledge_dir_argument, load_or_exit
from bot.texts import t

_VERDICT_LABELS = {"ok": "✅ 可以发送 (ok)", "warn": "⚠️ 建议修改 (warn)", "block": "⛔ 不可发送 (block)"}
_BATCH = 512
_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
# A clean draft's line is the encoded ``to_json`` of a clean result around the encoded text: cut
# once from the real encoding (so the format is spelled in one place), filled per draft.
_CLEAN_HEAD, _CLEAN_TAIL = _encode(CheckResult("\0").to_json()).split(encode_basestring("\0"))


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
    """Lines split at ``\n`` only (a draft may hold other line separators), bad bytes replaced."""
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stdin is None:  # pragma: no cover - replaced stdin without a buffer
        yield from (line.rstrip("\r\n") for line in sys.stdin)
        return
    for line in io.TextIOWrapper(stdin, encoding="utf-8", errors="replace", newline="\n"):
        yield line.rstrip("\r\n")


def jsonl_line(result: CheckResult) -> str:
    """``result.to_json()`` encoded; a clean draft (most of them) without building the dict."""
    if result.flags:
        return _encode(result.to_json())
    return _CLEAN_HEAD + encode_basestring(result.text) + _CLEAN_TAIL


def write_jsonl(checker: Checker, lines: Iterable[str], out) -> None:  # type: ignore[no-untyped-def]
    """One JSON object per input line, in order, flushed in batches."""
    check = checker.check
    batch: list[str] = []
    for line in lines:
        batch.append(jsonl_line(check(line)))
        if len(batch) >= _BATCH:
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
            f" ({flag.start}–{flag.end}){'' if flag.sure else t('draft.flag_unsure')}"
        )
        lines.append(f"     原因: {flag.reason}")
        for suggestion in closest_first(flag.suggestions, result.text)[:3]:
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
