"""The intent layer at check time: a trained linear model per rule, scored clause by clause.

Rules know the handbooks' words; paraphrases slip past them. A linear model over character
n-grams of each clause catches the meaning. The trained model is plain data (picklable, no
numpy): ``bot.checker.intent_train`` builds it. Scoring is made nearly free on clean drafts:
the checker's own automaton also holds the *trigger* n-grams (strong evidence for some rule),
so its one pass finds the clauses worth scoring; every other clause is skipped, and scored
clauses are remembered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from bot.checker.normalize import SEPARATOR

_CACHE_SIZE = 4096


def as_read(clause: str) -> str:
    """A clause as the model reads it: 你 as 您. Addressing the customer as 你 is the
    honorific rule's business; in the corpus clean replies say 您, so a model that saw 你
    would take plain thanks (感谢你的支持) for an insult."""
    return clause.replace("你", "您")


@dataclass(frozen=True, slots=True)
class IntentModel:
    """A trained intent layer: per rule a bias, a threshold and sparse n-gram weights, and one
    more column (the last) for "breaks some rule": the meaning that rule families share (blaming,
    brushing off, passing the buck …) is learnt from all of them at once, and a clause it flags is
    put down to the rule whose own model it comes closest to."""

    rules: tuple[str, ...]  # rule ids; a rule's position is its column below
    sizes: tuple[int, ...]  # n-gram lengths
    bias: tuple[float, ...]  # one per rule, then the "any rule" column
    threshold: tuple[float, ...]  # on the score (log-odds): a clause at or over it is flagged …
    sure: tuple[float, ...]  # … as its rule says (block) at or over this; under it, as a warning
    weights: dict[str, tuple[tuple[int, float], ...]]  # n-gram → (column, weight)
    triggers: frozenset[str]  # a clause without one of these is never flagged
    exempt: frozenset[str] = frozenset()  # approved clauses (normalised): never flagged
    near: float = float("inf")  # "breaks some rule" next to a clause that does: a lower bar

    def suspect(self, clause: str) -> bool:
        """Whether ``clause`` (normalised), next to a clause that breaks a rule, reads as part
        of the same wrong thought (so a rewrite drops it with its neighbour)."""
        return clause not in self.exempt and len(self.bias) > len(self.rules) and self._totals(clause)[-1] >= self.near

    def columns_over(self, clause: str) -> list[tuple[int, float]]:
        """(column, score) of every column whose threshold ``clause`` (normalised) reaches."""
        return [(c, s) for c, s in enumerate(self._totals(clause)) if s >= self.threshold[c]]

    def clause_scores(self, clause: str) -> tuple[tuple[int, float, bool], ...]:
        """(rule index, score, sure) of the rules ``clause`` (normalised) is flagged for; not
        sure: only a warning, the model's evidence being short of its blocking bar."""
        if clause in self.exempt:
            return ()
        totals = self._totals(clause)
        rules = range(len(self.rules))
        found = [(r, totals[r], totals[r] >= self.sure[r]) for r in rules if totals[r] >= self.threshold[r]]
        if not found and len(totals) > len(self.rules) and totals[-1] >= self.threshold[-1]:
            closest = max(rules, key=lambda r: totals[r] - self.threshold[r])
            sure = totals[-1] >= self.sure[-1]
            if sure or totals[closest] > 0:  # a warning names a rule only where that rule's model leans to it
                found = [(closest, totals[-1], sure)]
        return tuple(found)

    def _totals(self, clause: str) -> list[float]:
        clause = as_read(clause)
        grams = {clause[i : i + n] for n in self.sizes for i in range(len(clause) - n + 1)}
        totals = list(self.bias)
        weights = self.weights
        for gram in grams:  # not grams.intersection(weights): that walks every key of the dict
            for column, weight in weights.get(gram, ()):
                totals[column] += weight
        return totals


class IntentHit(NamedTuple):
    start: int  # the clause, in the normalised text
    end: int
    rule: str
    probability: float
    sure: bool  # over the blocking bar: flagged as the rule says; else a warning


class IntentScorer:
    """Scores the clauses of a normalised draft in which triggers were seen. Safe to share:
    the only state is a bounded cache of clause → scores (dict operations are atomic)."""

    def __init__(self, model: IntentModel) -> None:
        self.model = model
        self._cache: dict[str, tuple[tuple[str, float, bool], ...]] = {}

    def hits(self, text: str, trigger_ends: Iterable[int]) -> list[IntentHit]:
        """One hit per flagged (clause, rule); ``trigger_ends`` are where triggers end in
        ``text``, in order (the checker's automaton finds them in its one pass)."""
        found: list[IntentHit] = []
        cache = self._cache
        clause_end = -1
        for end_index in trigger_ends:
            if end_index < clause_end:
                continue  # this clause is already scored
            start = text.rfind(SEPARATOR, 0, end_index) + 1
            clause_end = text.find(SEPARATOR, end_index)
            if clause_end < 0:
                clause_end = len(text)
            clause = text[start:clause_end]
            scores = cache.get(clause)
            if scores is None:
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                scores = cache[clause] = self._scores(clause)
            for rule, probability, sure in scores:
                found.append(IntentHit(start, clause_end, rule, probability, sure))
        return found

    def _scores(self, clause: str) -> tuple[tuple[str, float, bool], ...]:
        """(rule id, probability, sure) per rule the clause is flagged for: remembered in this
        form, so that a clause seen before costs no exponential."""
        rules = self.model.rules
        return tuple((rules[r], _probability(s), sure) for r, s, sure in self.model.clause_scores(clause))


def _probability(score: float) -> float:
    return round(1 / (1 + math.exp(-score)), 3)
