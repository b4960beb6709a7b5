"""Training the intent layer from the labelled corpus: deterministic, and fast enough to run
at every knowledge load (numpy is imported here only; the model it returns is plain data).

The model per rule — and one more for "breaks some rule", learnt from every rule's examples at
once — is linear over the character n-grams of the normalised text. Its start is a naive-Bayes
log-count ratio, smoothed in proportion to the class sizes (so an n-gram seen in neither class
weighs 0, and a rare one cannot outweigh the evidence), keeping the n-grams of largest weight
(``KEEP`` per rule, ``ANY_KEEP`` for "some rule"). The weights over those n-grams are then
fitted by a few steps of logistic regression in which an example scores as its best clause, as
the checker scores a draft: naive Bayes counts every n-gram of an example as evidence, also those
of the greeting or filler clauses around the wrong sentence; measured, the regression flags more
of the rules' examples at no more clean ones. Thresholds come from grouped cross-validation on
the training split: the rules' own models together may flag at most ``CLEAN_FLAG_BUDGET`` of the
clean examples they did not see, "some rule" ``ANY_FLAG_BUDGET`` (and, next to a clause that
breaks a rule, ``NEAR_FLAG_BUDGET``). Two bars, because the product's budgets are two: a
clean draft may be blocked far more rarely (2%) than warned (5%), so the model blocks only over
the ``SURE_`` budgets and warns between the two — a paraphrase the model half-recognises is
shown to the agent instead of let through.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.checker.intent import IntentModel, as_read
from bot.checker.normalize import SEPARATOR, normalise
from bot.knowledge.models import PLACEHOLDER_RE

LABELS = ("block", "warn", "clean")
MIN_EXAMPLES = 30  # a rule with fewer training examples gets no model
SIZES = (1, 2)  # measured on the corpus: 1–2 ranks as well as 1–3 or 1–4, at less cost
MIN_DF = 2  # an n-gram seen in fewer training examples carries no weight
SMOOTHING = 3.0
KEEP = 600  # n-grams kept per rule
ANY_KEEP = 10000  # n-grams kept for "breaks some rule"
EPOCHS = 6  # logistic regression: Adagrad steps per fit (measured: 10 did no better on held-out or blind dev, in more time)
RATE = 0.1  # … its step size (0.2 and 0.5 flagged fewer held-out or blind-dev drafts: too far from naive Bayes)
L2 = 1e-4  # … and its pull towards 0 (1e-3 learnt less)
CLEAN_FLAG_BUDGET = 0.02  # the rules' own models together, cross-validated, on the clean training examples
ANY_FLAG_BUDGET = 0.05  # the "breaks some rule" model, likewise
SURE_CLEAN_BUDGET = 0.005  # … and as above, for the bar over which a flag blocks (under it, a warning)
SURE_ANY_BUDGET = 0.015
NEAR_FLAG_BUDGET = 0.20  # … next to a clause that breaks a rule (the rewrite drops it too)
TRIGGER_COVERAGE = 0.99  # share of flagged training clauses that hold a trigger n-gram
TRIGGER_LENGTH = 2  # single characters match nearly every draft: never triggers
TRIGGER_CLEAN_SHARE = 0.005  # nor n-grams in more of the clean examples (我们, 抱歉 …)
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str  # block | warn | clean
    rule: str | None
    group: str


def read_corpus(directory: Path) -> list[Example]:
    """The training split: ``corpus/*.jsonl`` (``team.jsonl`` included); ``heldout/`` never."""
    examples: list[Example] = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        examples += read_examples(path)
    return examples


def read_examples(path: Path) -> list[Example]:
    """One file's examples; a line that is not a labelled example is a ``file:line`` problem
    (``team.jsonl`` is written by the bot, but a hand edit can break it)."""
    from bot.knowledge.problems import KnowledgeError, Problem

    examples, problems = [], []
    name = f"corpus/{Path(path).name}"
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
        except ValueError:
            problems.append(Problem(name, number, "这一行不是 JSON（每行一个 {\"text\": …, \"label\": …} 对象）"))
            continue
        label, rule = (row.get("label"), row.get("rule")) if isinstance(row, dict) else (None, None)
        if label in LABELS and isinstance(row.get("text"), str) and (label == "clean") == (rule is None):
            examples.append(Example(row["text"], label, rule, str(row.get("group") or row["text"])))
        else:
            problems.append(Problem(name, number, "需要 text、label（block/warn/clean）和 rule（clean 时为 null）"))
    if problems:
        raise KnowledgeError(problems)
    return examples


def fold_of(group: str, folds: int = FOLDS) -> int:
    """The cross-validation fold of a group: stable across runs and machines."""
    return zlib.crc32(group.encode()) % folds


def train(
    examples: Sequence[Example], known_rules: Iterable[str] | None = None,
    heads: Collection[str] | None = None, must_pass: Iterable[str] = (),
) -> IntentModel | None:
    """The intent model of ``examples`` (None when no rule has enough of them). The ``must_pass``
    texts (approved phrasings) are never flagged: their clauses are exempt, and for one with a
    gap to fill (``{order_id}`` …) the thresholds are raised over its score. Triggers start
    with one of ``heads`` when given: the characters the checker's automaton already branches
    on at its root (pyahocorasick scans a node's children one by one, so a new first character
    slows every draft down; measured: 3,300 free triggers cost 2 µs a draft, 1,300 headed ones 0.2)."""
    import numpy as np

    known = set(known_rules) if known_rules is not None else None
    counts: dict[str, int] = {}
    for example in examples:
        if example.rule and (known is None or example.rule in known):
            counts[example.rule] = counts.get(example.rule, 0) + 1
    rules = tuple(sorted(r for r, n in counts.items() if n >= MIN_EXAMPLES))
    if not rules:
        return None
    data = _Features(examples, rules, heads)
    folds = np.array([fold_of(e.group) for e in data.examples])
    columns = len(rules) + 1  # the rules, then "breaks some rule"
    out_of_fold = np.empty((len(data.examples), columns))
    for fold in range(FOLDS):
        held = folds == fold
        if held.any() and not held.all():
            weights, bias = data.fit(~held)
            out_of_fold[held] = data.text_scores(weights, bias)[held]
    weights, bias = data.fit(np.ones(len(data.examples), dtype=bool))
    clean = data.labels == -1
    thresholds = _thresholds(out_of_fold[clean], CLEAN_FLAG_BUDGET, ANY_FLAG_BUDGET)
    sure = _thresholds(out_of_fold[clean], SURE_CLEAN_BUDGET, SURE_ANY_BUDGET)
    near = _threshold(out_of_fold[clean, -1], NEAR_FLAG_BUDGET)
    triggers: set[str] = set()
    kept: dict[str, list[tuple[int, float]]] = {}
    for r in range(columns):
        column = weights[:, r]
        for index in np.flatnonzero(column):
            kept.setdefault(data.grams[index], []).append((r, float(column[index])))
        floor = data.trigger_floor(column, float(bias[r]), thresholds[r], r)
        strong = np.flatnonzero((column >= floor) & (column > 0) & data.eligible)
        triggers.update(data.grams[i] for i in strong)
    model = IntentModel(
        rules=rules,
        sizes=SIZES,
        bias=tuple(float(b) for b in bias),
        threshold=tuple(thresholds),
        sure=tuple(sure),
        weights={gram: tuple(entries) for gram, entries in sorted(kept.items())},
        triggers=frozenset(triggers),
        near=near,
    )
    exempt: set[str] = set()
    for text in must_pass:
        for clause in normalise(text).text.split(SEPARATOR):
            over = model.columns_over(clause)
            if over and PLACEHOLDER_RE.search(text):  # filled in, it reads otherwise: be safe for any filling
                for column, score in over:
                    thresholds[column] = max(thresholds[column], round(score + 1e-6, 6))
                    sure[column] = max(sure[column], thresholds[column])
            elif over:
                exempt.add(clause)  # this very clause is approved; the threshold stays where it measured
    return replace(model, threshold=tuple(thresholds), sure=tuple(sure), exempt=frozenset(exempt))


def _thresholds(clean_scores: Any, rules_budget: float, any_budget: float) -> list[float]:
    """Per rule column, then "some rule": the bars that flag at most the budgets of the clean
    examples (the rules' budget shared among them)."""
    rules = clean_scores.shape[1] - 1
    bars = [_threshold(clean_scores[:, r], rules_budget / rules) for r in range(rules)]
    return [*bars, _threshold(clean_scores[:, -1], any_budget)]


def _threshold(clean_scores: Any, rate: float) -> float:
    """The lowest score (never under 0, i.e. probability ½) that flags at most ``rate`` of
    the clean examples."""
    ordered = sorted(clean_scores.tolist(), reverse=True)
    allowed = int(rate * len(ordered))
    floor = ordered[allowed] + 1e-9 if allowed < len(ordered) else 0.0
    return round(max(0.0, floor), 6)


class _Features:
    """The examples as n-gram ids: one set per example (for the naive-Bayes counts) and one per
    distinct clause (variants repeat their greetings and filler clauses: each is scored once)."""

    def __init__(self, examples: Sequence[Example], rules: tuple[str, ...], heads: Collection[str] | None) -> None:
        import numpy as np

        index = {rule: i for i, rule in enumerate(rules)}
        vocabulary: dict[str, int] = {}
        distinct: dict[str, int] = {}  # clause → its id, -1 when it has no n-gram
        distinct_grams: list[list[int]] = []
        text_cols: list[int] = []
        text_starts: list[int] = []
        clause_unique: list[int] = []
        first_clause: list[int] = []
        kept: list[Example] = []
        for example in examples:
            seen: set[int] = set()
            clauses_before = len(clause_unique)
            for clause in as_read(normalise(example.text).text).split(SEPARATOR):
                unique = distinct.get(clause)
                if unique is None:
                    grams = sorted({clause[i : i + n] for n in SIZES for i in range(len(clause) - n + 1)})
                    unique = distinct[clause] = len(distinct_grams) if grams else -1
                    if grams:
                        distinct_grams.append([vocabulary.setdefault(g, len(vocabulary)) for g in grams])
                if unique >= 0:
                    clause_unique.append(unique)
                    seen.update(distinct_grams[unique])
            if len(clause_unique) == clauses_before:
                continue  # nothing to learn from (punctuation only)
            first_clause.append(clauses_before)
            text_starts.append(len(text_cols))
            text_cols += sorted(seen)
            kept.append(example)
        self.examples = kept
        self.grams = sorted(vocabulary, key=vocabulary.__getitem__)
        # rule index; -1 clean; -2 a rule without a model of its own (a negative all the same)
        self.labels = np.array([index.get(e.rule, -2) if e.rule else -1 for e in kept])
        self.text_cols = np.array(text_cols, dtype=np.int64)
        self.text_rows = np.repeat(np.arange(len(kept)), np.diff(text_starts + [len(text_cols)]))
        lengths = [len(g) for g in distinct_grams]
        self.unique_cols = np.array([g for grams in distinct_grams for g in grams], dtype=np.int64)
        self.unique_id = np.repeat(np.arange(len(distinct_grams)), lengths)
        self.unique_starts = np.cumsum([0] + lengths[:-1])
        self.clause_unique = np.array(clause_unique)
        self.first_clause = np.array(first_clause)
        self.clause_text = np.repeat(np.arange(len(kept)), np.diff(first_clause + [len(clause_unique)]))
        # the j-th clauses (j ≥ 1) of the examples that have one: a running max over them is
        # the best clause per example, many times faster than ``maximum.reduceat``
        counts = np.diff(first_clause + [len(clause_unique)])
        self.later = [(np.flatnonzero(counts > j), self.clause_unique[self.first_clause[counts > j] + j])
                      for j in range(1, int(counts.max()))]
        self.rule_count = len(rules)
        clean = self.labels[self.text_rows] == -1
        clean_df = np.bincount(self.text_cols[clean], minlength=len(self.grams))
        # n-grams that may be triggers: long enough, and rare in clean text
        self.eligible = (np.array([len(g) >= TRIGGER_LENGTH and (heads is None or g[0] in heads) for g in self.grams])
                         & (clean_df <= TRIGGER_CLEAN_SHARE * (self.labels == -1).sum()))

    def best_clause(self, scores: Any) -> tuple[Any, Any]:
        """Per example and column, the best score of its clauses and the distinct clause it
        comes from, given ``scores`` per distinct clause and column."""
        import numpy as np

        arg = np.repeat(self.clause_unique[self.first_clause][:, None], scores.shape[1], axis=1)
        best = np.take_along_axis(scores, arg, axis=0)
        for examples, unique in self.later:
            rows, cols = np.nonzero(scores[unique] > best[examples])
            best[examples[rows], cols] = scores[unique[rows], cols]
            arg[examples[rows], cols] = unique[rows]
        return best, arg

    def fit(self, train: Any) -> tuple[Any, Any]:
        """Sparse n-gram weights (n-grams × columns) and biases, from the examples in ``train``:
        naive Bayes, refined by logistic regression."""
        weights, bias = self.log_count_ratios(train)
        return self.logistic(weights, bias, train)

    def logistic(self, weights: Any, bias: Any, train: Any) -> tuple[Any, Any]:
        """Logistic regression per column (a rule against everything else; some rule against
        clean) on the examples in ``train``, from ``weights`` and over their non-zero n-grams
        only (so the model stays as sparse). An example scores as its best clause, as at check
        time: its other clauses (greetings, filler around the wrong sentence) are never taken
        for the rule. Full-batch Adagrad for ``EPOCHS`` steps with L2: deterministic, and a few
        small steps from naive Bayes suffice."""
        import numpy as np

        size, rules = weights.shape
        count = len(self.unique_starts)
        entry, column = np.nonzero(weights[self.unique_cols] != 0)
        rows = self.unique_id[entry] * rules + column
        cols = self.unique_cols[entry] * rules + column
        target = np.column_stack([self.labels[:, None] == np.arange(rules - 1), self.labels != -1])
        share = (train / train.sum())[:, None]
        w, b = weights.copy(), bias.copy()
        history, history_b = np.zeros_like(w), np.zeros_like(b)
        for _ in range(EPOCHS):
            scores = np.bincount(rows, w.ravel()[cols], count * rules).reshape(count, rules)
            best, arg = self.best_clause(scores)
            error = (0.5 + 0.5 * np.tanh((best + b) / 2) - target) * share  # probability − label
            per_clause = np.bincount((arg * rules + np.arange(rules)).ravel(), error.ravel(), count * rules)
            grad = np.bincount(cols, per_clause[rows], size * rules).reshape(size, rules) + L2 * w
            grad_b = error.sum(axis=0)
            history += grad * grad
            history_b += grad_b * grad_b
            w -= RATE * grad / (np.sqrt(history) + 1e-12)
            b -= RATE * grad_b / (np.sqrt(history_b) + 1e-12)
        return w, b

    def log_count_ratios(self, train: Any) -> tuple[Any, Any]:
        """Naive-Bayes n-gram weights (n-grams × columns) and biases, from the examples in
        ``train``, keeping the ``KEEP`` n-grams of largest weight per rule (``ANY_KEEP`` for
        "some rule")."""
        import numpy as np

        rules, size = self.rule_count, len(self.grams)
        rows = train[self.text_rows]
        cols, labels = self.text_cols[rows], self.labels[self.text_rows[rows]]
        df = np.bincount(cols, minlength=size).astype(float)
        positive = labels >= 0
        pos = np.bincount(cols[positive] * rules + labels[positive], minlength=size * rules)
        pos = pos.reshape(size, rules).astype(float)
        violation = labels != -1
        pos = np.concatenate([pos, np.bincount(cols[violation], minlength=size).astype(float)[:, None]], axis=1)
        p = np.bincount(self.labels[train & (self.labels >= 0)], minlength=rules).astype(float)
        p = np.append(p, float((train & (self.labels != -1)).sum()))
        n = train.sum() - p
        a, b = SMOOTHING, SMOOTHING * n / np.maximum(p, 1)
        weights = np.log((pos + a) / (p + 2 * a)) - np.log((df[:, None] - pos + b) / (n + 2 * b))
        weights[df < MIN_DF] = 0.0
        if size > KEEP:
            order = np.argsort(-np.abs(weights[:, :rules]), axis=0, kind="stable")
            weights[order[KEEP:], np.arange(rules)] = 0.0
        if size > ANY_KEEP:
            order = np.argsort(-np.abs(weights[:, rules]), kind="stable")
            weights[order[ANY_KEEP:], rules] = 0.0
        return weights, np.log(np.maximum(p, 1) / n)

    def text_scores(self, weights: Any, bias: Any) -> Any:
        """Per example and column, the best score of its clauses."""
        import numpy as np

        used = weights.any(axis=1)[self.unique_cols]
        rows, cols = self.unique_id[used], self.unique_cols[used]
        count = len(self.unique_starts)
        scores = np.stack([np.bincount(rows, weights[cols, r], count) for r in range(weights.shape[1])], axis=1)
        return self.best_clause(scores)[0] + bias

    def trigger_floor(self, column: Any, bias: float, threshold: float, rule: int) -> float:
        """The weight an n-gram needs to be a trigger so that nearly every clause of a
        ``rule`` example that the model flags still holds one."""
        import numpy as np

        values = column[self.unique_cols]
        scores = (np.add.reduceat(values, self.unique_starts) + bias)[self.clause_unique]
        strongest = np.where(self.eligible[self.unique_cols], values, -np.inf)
        best = np.maximum.reduceat(strongest, self.unique_starts)[self.clause_unique]
        labels = self.labels[self.clause_text]
        own = labels != -1 if rule == self.rule_count else labels == rule
        flagged = np.sort(best[own & (scores >= threshold)])
        if not len(flagged):
            return float("inf")
        return float(flagged[int((1 - TRIGGER_COVERAGE) * len(flagged))])
