"""Grading a trainee's replies: the handbooks' basics, checked by the same checker.

- the first reply greets the customer (见到顾客要说：您好！);
- no reply holds a banned phrase (block) and few hold a style problem (warn);
- where the customer was let down, some reply apologises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.checker.engine import Checker
from bot.checker.normalize import normalise_pattern
from bot.knowledge.models import Knowledge
from bot.practice.scenarios import Scenario

FULL_MARKS = 100
BLOCK_PENALTY = 30
WARN_PENALTY = 10
NO_GREETING_PENALTY = 20
NO_APOLOGY_PENALTY = 30
EXTRA_GREETING_WORDS = ("您好", "你好", "亲", "欢迎")


@dataclass(frozen=True, slots=True)
class ReplyGrade:
    reply_number: int
    verdict: str  # ok / warn / block
    rules: tuple[str, ...]  # the broken rules' names, as the trainee reads them
    rewrite: str | None


@dataclass(frozen=True, slots=True)
class Score:
    points: int
    greeted: bool
    apologised: bool
    needs_apology: bool
    replies: list[ReplyGrade] = field(default_factory=list)


class Grader:
    def __init__(self, knowledge: Knowledge, checker: Checker) -> None:
        self.checker = checker
        kinds = {k.id: k for k in knowledge.kinds}
        self._greetings = self._words(kinds.get("greeting"), EXTRA_GREETING_WORDS)
        self._apologies = self._words(kinds.get("apology"), ())

    @staticmethod
    def _words(kind: object, extra: tuple[str, ...]) -> tuple[str, ...]:
        words = tuple(getattr(kind, "words", ())) + extra
        return tuple(w for w in (normalise_pattern(w) for w in words) if w)

    def _says(self, reply: str, words: tuple[str, ...]) -> bool:
        text = normalise_pattern(reply)
        return any(w in text for w in words)

    def grade(self, number: int, reply: str) -> ReplyGrade:
        result = self.checker.check(reply)
        return ReplyGrade(number, result.verdict, tuple(dict.fromkeys(f.name for f in result.flags)), result.rewrite)

    def score(self, scenario: Scenario, replies: list[str]) -> Score:
        grades = [self.grade(n, r) for n, r in enumerate(replies, 1)]
        greeted = bool(replies) and self._says(replies[0], self._greetings)
        apologised = any(self._says(r, self._apologies) for r in replies)
        points = FULL_MARKS
        points -= BLOCK_PENALTY * sum(g.verdict == "block" for g in grades)
        points -= WARN_PENALTY * sum(g.verdict == "warn" for g in grades)
        points -= 0 if greeted else NO_GREETING_PENALTY
        points -= NO_APOLOGY_PENALTY if scenario.needs_apology and not apologised else 0
        return Score(max(0, points), greeted, apologised, scenario.needs_apology, grades)
