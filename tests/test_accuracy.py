"""Accuracy on the labelled drafts in tests/data/eval (the product's three targets)."""

from __future__ import annotations

from pathlib import Path

from bot.checker.engine import Checker

EVAL = Path(__file__).resolve().parent / "data" / "eval"


def _drafts(name: str) -> list[str]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [line.partition("\t")[2] for line in lines if line.strip()]


def test_banned_drafts_are_flagged(checker: Checker) -> None:
    drafts = _drafts("banned.tsv")
    missed = [d for d in drafts if not checker.check(d).flags]
    assert len(missed) <= 0.05 * len(drafts), missed


def test_clean_drafts_pass(checker: Checker) -> None:
    results = [checker.check(d) for d in _drafts("clean.tsv")]
    blocked = [r.text for r in results if r.verdict == "block"]
    flagged = [r.text for r in results if r.flags]
    assert len(blocked) <= 0.02 * len(results), blocked
    assert len(flagged) <= 0.05 * len(results), flagged
