#!/usr/bin/env python3
"""How good are the checker's rewrites of blocked drafts?

For every draft the checker blocks (from the labelled sets in ``tests/data/eval``: the
regression set and the blind sets when present), the rewrite offered must pass the checker,
repeat no passage, keep the draft's numbers and Latin words (but for those in the flagged words:
personal data is masked on purpose, a banned word goes) and stay within twice the draft's length + 40 characters. Goal: ≥ 95 % of the
rewrites offered have all four, with a rewrite offered for ≥ 80 % of blocked drafts. The
properties are computed here independently of the rewriter's own guards.

    .venv/bin/python scripts/eval_rewrites.py [--show]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.store import LoadedKnowledge  # noqa: E402
from scripts.eval_checker import EVAL_DIR, read_tsv  # noqa: E402

TOKENS = re.compile(r"[0-9]+|[A-Za-z]+")


def drafts() -> list[str]:
    """The regression set and the blind dev half (the blind test half is never looked at)."""
    rows = read_tsv(EVAL_DIR / "banned.tsv", "banned") + read_tsv(EVAL_DIR / "clean.tsv", "clean")
    if (EVAL_DIR / "blind_dev.tsv").is_file():
        rows += read_tsv(EVAL_DIR / "blind_dev.tsv", None)
    return [draft for _, draft in rows]


def problems(draft: str, rewrite: str, checker, flagged: list[tuple[int, int]]) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    if checker.check(rewrite).verdict != "ok":
        found.append("still flagged")
    if len(rewrite) > 2 * len(draft) + 40:
        found.append("too long")
    for token in TOKENS.finditer(draft):
        if not any(s <= token.start() < e for s, e in flagged) and token.group() not in rewrite:
            found.append(f"lost {token.group()}")
    for size in (8,):
        for start in range(len(rewrite) - size + 1):
            passage = rewrite[start:start + size]
            if rewrite.count(passage) > 1 and draft.count(passage) < rewrite.count(passage):
                found.append(f"repeats {passage}")
                break
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print every blocked draft and its rewrite")
    args = parser.parse_args()
    loaded = LoadedKnowledge.from_directory(ROOT / "knowledge")
    checker = loaded.checker
    blocked = offered = good = 0
    for draft in drafts():
        result = checker.check(draft)
        if result.verdict != "block":
            continue
        blocked += 1
        if result.rewrite is None:
            if args.show:
                print(f"  NONE  {draft}")
            continue
        offered += 1
        found = problems(draft, result.rewrite, checker, [(f.start, f.end) for f in result.flags])
        good += not found
        if args.show or found:
            print(f"  {'BAD ' if found else 'ok  '}  {draft}\n        → {result.rewrite}  {' '.join(found)}")
    print(f"blocked drafts:               {blocked}")
    print(f"rewrite offered:              {offered / max(blocked, 1):7.2%}  ({offered}/{blocked}, goal ≥ 80%)")
    print(f"offered rewrites that hold:   {good / max(offered, 1):7.2%}  ({good}/{offered}, goal ≥ 95%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
