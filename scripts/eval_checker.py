#!/usr/bin/env python3
"""Accuracy of the checker on a labelled set of drafts.

``tests/data/eval/banned.tsv`` and ``clean.tsv`` hold ``CATEGORY<TAB>draft`` lines: realistic
replies that break the handbooks' rules (variants, traditional characters, noise) and polite
ones, many of them look-alikes of banned phrases. The set was written by the rule author, so it
is a regression set rather than a blind one. Prints the three rates the product is judged on
and every miss, so a rule author sees what to improve.

    .venv/bin/python scripts/eval_checker.py [--quiet]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.store import LoadedKnowledge  # noqa: E402

EVAL_DIR = ROOT / "tests" / "data" / "eval"


def read(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            category, _, draft = line.partition("\t")
            rows.append((category, draft))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="only the rates")
    args = parser.parse_args()
    checker = LoadedKnowledge.from_directory(ROOT / "knowledge").checker
    banned, clean = read(EVAL_DIR / "banned.tsv"), read(EVAL_DIR / "clean.tsv")

    missed = [(c, d) for c, d in banned if not checker.check(d).flags]
    per_category = Counter(c for c, _ in banned)
    missed_per_category = Counter(c for c, _ in missed)
    blocked, warned = [], []
    for category, draft in clean:
        result = checker.check(draft)
        target = blocked if result.verdict == "block" else warned if result.verdict == "warn" else None
        if target is not None:
            target.append((draft, [(f.rule, f.matched) for f in result.flags]))

    caught = 1 - len(missed) / len(banned)
    print(f"banned drafts flagged:     {caught:7.2%}  ({len(banned) - len(missed)}/{len(banned)}, goal ≥ 95%)")
    print(f"clean drafts blocked:      {len(blocked) / len(clean):7.2%}  ({len(blocked)}/{len(clean)}, goal ≤ 2%)")
    flagged = len(blocked) + len(warned)
    print(f"clean drafts flagged:      {flagged / len(clean):7.2%}  ({flagged}/{len(clean)}, goal ≤ 5%)")
    if not args.quiet:
        print("\nmissed, per category:")
        for category, total in sorted(per_category.items()):
            print(f"  {category:<32} {missed_per_category.get(category, 0):3d} / {total}")
        for category, draft in missed:
            print(f"  MISSED  [{category}] {draft}")
        for draft, flags in blocked:
            print(f"  BLOCKED {draft}  {flags}")
        for draft, flags in warned:
            print(f"  WARNED  {draft}  {flags}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
