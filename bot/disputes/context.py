"""The allowed context of a disputed flag: the matched words with a few characters either side,
within their clause, in the checker's normalised form (what a rule's ``allowed:`` holds).

A rule's hit is dropped when it lies inside an allowed context of the same rule (see
:mod:`bot.checker.engine`), so the context of each flag, taken around the flag's whole span,
makes exactly that draft pass again — and a draft that says the same words in another
sentence is still flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.checker.normalize import SEPARATOR, normalise_pattern
from bot.checker.result import Flag

AROUND = 6  # characters either side of the matched words, at most


@dataclass(frozen=True, slots=True)
class Context:
    rule: str
    matched: str  # as the agent wrote it
    context: str  # normalised, the matched words inside it

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "matched": self.matched, "context": self.context}


def context_of(draft: str, flag: Flag, around: int = AROUND) -> Context:
    """The flag's words and up to ``around`` characters either side, inside their clause."""
    text = normalise_pattern(draft)
    # normalising is one character for one or drops it: a prefix's length is its position
    start, end = len(normalise_pattern(draft[:flag.start])), len(normalise_pattern(draft[:flag.end]))
    clause_start = text.rfind(SEPARATOR, 0, start) + 1
    clause_end = text.find(SEPARATOR, end)
    clause_end = len(text) if clause_end < 0 else clause_end
    return Context(flag.rule, flag.matched, text[max(clause_start, start - around):min(clause_end, end + around)])
