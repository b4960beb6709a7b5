#!/usr/bin/env python3
"""Accuracy of the checker (rules, and rules + intent layer) on labelled drafts.

Sets, each a list of (kind, draft) with kind banned | mild | clean:

* **cross-validated**: the training corpus (``knowledge/corpus/*.jsonl``) in 5 folds grouped by
  ``group``; the intent layer trained on four, rules + intent checked on the fifth;
* **held-out**: ``knowledge/corpus/heldout/*.jsonl``, intent trained on the whole training split
  (only measured here, never tuned on);
* **eval**: ``tests/data/eval/banned.tsv`` and ``clean.tsv`` (``CATEGORY<TAB>draft``), written by
  the rule author: a regression set, not a blind one;
* **blind dev** and **blind test**: ``tests/data/eval/blind_dev.tsv`` and ``blind_test.tsv``
  (``LABEL<TAB>FAMILY<TAB>draft``), written from the handbooks only by an author who saw neither
  the rules nor the corpus; the dev half is tuned on, the test half only measured (its figures
  are printed, never its drafts);
* **blind test 2**: ``tests/data/eval/blind_test2.tsv``, the same form, by a fifth author who read
  only the handbooks and PRODUCT.md: only measured, never tuned on;
* **blind dev 2** and **blind test 3**: ``blind_dev2.tsv`` and ``blind_test3.tsv``, the same form,
  by a sixth and a seventh author (the handbooks and PRODUCT.md only, each alone): the dev set is
  tuned on, the test set only measured.

Prints the four rates the product is judged on, per set, and the intent layer's precision and
recall per rule; without ``--quiet`` also every miss and false alarm of the eval set.

    .venv/bin/python scripts/eval_checker.py [--quiet]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ahocorasick  # noqa: E402

from bot.checker.engine import Checker  # noqa: E402
from bot.checker.intent import IntentModel, IntentScorer  # noqa: E402
from bot.checker.intent_train import FOLDS, Example, fold_of, read_corpus, train  # noqa: E402
from bot.checker.normalize import normalise  # noqa: E402
from bot.knowledge.loader import load_intent, load_knowledge, trigger_heads  # noqa: E402
from bot.knowledge.models import Knowledge  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
EVAL_DIR = ROOT / "tests" / "data" / "eval"
KIND_OF_LABEL = {"block": "banned", "warn": "mild", "clean": "clean", "banned": "banned", "mild": "mild"}


@dataclass
class Figures:
    """Counts behind the four rates; each field is (caught, out of)."""

    banned_flagged: list[int] = field(default_factory=lambda: [0, 0])  # goal ≥ 95%
    mild_warned: list[int] = field(default_factory=lambda: [0, 0])  # warned or blocked
    clean_blocked: list[int] = field(default_factory=lambda: [0, 0])  # goal ≤ 2%
    clean_flagged: list[int] = field(default_factory=lambda: [0, 0])  # goal ≤ 5%

    def add(self, kind: str, verdict: str) -> None:
        counts = {"banned": [(self.banned_flagged, verdict != "ok")],
                  "mild": [(self.mild_warned, verdict != "ok")],
                  "clean": [(self.clean_blocked, verdict == "block"), (self.clean_flagged, verdict != "ok")]}
        for figure, hit in counts[kind]:
            figure[0] += hit
            figure[1] += 1

    def row(self) -> str:
        cells = []
        for f in fields(self):
            caught, total = getattr(self, f.name)
            cells.append(f"{caught / total:7.2%} ({caught:>4}/{total:<4})" if total else f"{'—':>19}")
        return "  ".join(cells)


@dataclass
class RuleCounts:
    """The intent layer alone, per rule: flagged examples of the rule, of others, missed."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, model: IntentModel, examples: Sequence[Example]) -> None:
        scorer, triggers = IntentScorer(model), ahocorasick.Automaton()
        for trigger in model.triggers:
            triggers.add_word(trigger, trigger)
        triggers.make_automaton()
        for example in examples:
            text = normalise(example.text).text
            flagged = {h.rule for h in scorer.hits(text, (end for end, _ in triggers.iter(text)))}
            for rule in flagged:
                (self.tp if rule == example.rule else self.fp)[rule] += 1
            if example.rule in model.rules and example.rule not in flagged:
                self.fn[example.rule] += 1


def as_rows(examples: Sequence[Example]) -> list[tuple[str, str]]:
    return [(KIND_OF_LABEL[e.label], e.text) for e in examples]


def check_all(checker: Checker, rows: Sequence[tuple[str, str]], figures: Figures) -> None:
    for kind, draft in rows:
        figures.add(kind, checker.check(draft).verdict)


def cross_validated(knowledge: Knowledge, examples: list[Example]) -> tuple[Figures, Figures, RuleCounts]:
    """Rules alone and rules + intent on each fold, the intent layer trained on the others."""
    rules_only, with_intent, counts = Figures(), Figures(), RuleCounts()
    ids = [r.id for r in knowledge.rules]
    check_all(Checker(knowledge), as_rows(examples), rules_only)
    for fold in range(FOLDS):
        held = [e for e in examples if fold_of(e.group) == fold]
        model = train([e for e in examples if fold_of(e.group) != fold], ids, trigger_heads(knowledge))
        check_all(Checker(knowledge, model), as_rows(held), with_intent)
        if model:
            counts.add(model, held)
    return rules_only, with_intent, counts


BLIND_SETS = ("blind_dev", "blind_test", "blind_test2", "blind_dev2", "blind_test3")


def read_tsv(path: Path, kind: str | None) -> list[tuple[str, str]]:
    """``CATEGORY<TAB>draft`` rows of one ``kind``, or ``LABEL<TAB>FAMILY<TAB>draft`` rows."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            parts = line.split("\t", 2 if kind is None else 1)
            rows.append((kind or KIND_OF_LABEL[parts[0]], parts[-1]))
    return rows


def print_rules(title: str, model: IntentModel | None, counts: RuleCounts) -> None:
    print(f"\nintent layer alone, per rule — {title}:  precision  recall")
    for rule in model.rules if model else ():
        tp, fp, fn = counts.tp[rule], counts.fp[rule], counts.fn[rule]
        precision = f"{tp / (tp + fp):6.1%}" if tp + fp else "     —"
        recall = f"{tp / (tp + fn):6.1%}" if tp + fn else "     —"
        print(f"  {rule:<30} {precision:>9} {recall:>7}   ({tp} right, {fp} wrong, {fn} missed)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="only the figures")
    args = parser.parse_args()
    knowledge = load_knowledge(KNOWLEDGE)
    corpus = KNOWLEDGE / "corpus"
    examples = read_corpus(corpus) if corpus.is_dir() else []
    model = load_intent(KNOWLEDGE, knowledge)
    rules, full = Checker(knowledge), Checker(knowledge, model)

    names = [f.name.replace("_", " ") for f in fields(Figures)]
    print(f"{'':<34}" + "  ".join(f"{n:<19}" for n in names))
    results: list[tuple[str, Figures]] = []
    if examples:
        rules_cv, full_cv, cv_counts = cross_validated(knowledge, examples)
        results += [("train, rules only", rules_cv), ("train, 5-fold CV, rules + intent", full_cv)]
    heldout = read_corpus(corpus / "heldout") if (corpus / "heldout").is_dir() else []
    sets = [("held-out", as_rows(heldout))] if heldout else []
    eval_rows = read_tsv(EVAL_DIR / "banned.tsv", "banned") + read_tsv(EVAL_DIR / "clean.tsv", "clean")
    sets.append(("eval set", eval_rows))
    for name in BLIND_SETS:
        if (EVAL_DIR / f"{name}.tsv").is_file():
            sets.append((name.replace("_", " "), read_tsv(EVAL_DIR / f"{name}.tsv", None)))
    for name, rows in sets:
        for label, checker in (("rules only", rules), ("rules + intent", full)):
            figures = Figures()
            check_all(checker, rows, figures)
            results.append((f"{name}, {label}", figures))
    for label, figures in results:
        print(f"{label:<34}{figures.row()}")
    if examples:
        print_rules("5-fold CV on the training split", model, cv_counts)
    if heldout and model:
        counts = RuleCounts()
        counts.add(model, heldout)
        print_rules("held-out", model, counts)
    if not args.quiet:
        print_misses(full, eval_rows)
    return 0


def print_misses(checker: Checker, rows: Sequence[tuple[str, str]]) -> None:
    """What a rule author fixes: banned drafts let through, clean drafts flagged."""
    print("\neval set, rules + intent:")
    for kind, draft in rows:
        result = checker.check(draft)
        if kind != "clean" and result.verdict == "ok":
            print(f"  MISSED  {draft}")
        elif kind == "clean" and result.flags:
            flags = [(f.rule, f.source, f.matched) for f in result.flags]
            print(f"  {'BLOCKED' if result.verdict == 'block' else 'WARNED '} {draft}  {flags}")


if __name__ == "__main__":
    sys.exit(main())
