"""What a check says about a draft: flags, a verdict and the draft rewritten."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.models import Severity

VERDICT_OK = "ok"
_UNSET: Any = object()


@dataclass(slots=True)
class Flag:
    """One problem in a draft; ``start``/``end`` index the original text (Python str)."""

    rule: str
    severity: Severity
    start: int
    end: int
    matched: str
    reason: str
    name: str  # the rule's human name: what people read instead of ``rule``
    suggestions: tuple[str, ...]
    source: str = "rule"  # "rule": the rule's words matched; "intent": its trained model
    probability: float | None = None  # the intent model's, for an intent flag
    sure: bool = True  # False: the intent model's warning short of its blocking bar, a question
    # to the agent rather than a verdict (the rewrite leaves its clause as typed)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
            "source": self.source,
            "probability": self.probability,
            "sure": self.sure,
        }


@dataclass(slots=True)
class CheckResult:
    text: str
    flags: tuple[Flag, ...] = ()
    mend: Callable[[], str | None] | None = field(default=None, repr=False, compare=False)
    _rewrite: str | None = field(default=_UNSET, repr=False, compare=False)

    @property
    def rewrite(self) -> str | None:
        """The draft rewritten (:mod:`bot.checker.rewrite`), worked out the first time it is
        asked for: what only needs the verdict (an audit's clean lines, the flags' count in a
        report) does not pay for a rewrite and its re-check."""
        if self._rewrite is _UNSET:
            self._rewrite = self.mend() if self.mend is not None else None
        return self._rewrite

    @property
    def verdict(self) -> str:
        """``block`` if anything must not be sent, ``warn`` for style, else ``ok``."""
        if not self.flags:
            return VERDICT_OK
        if any(f.severity is Severity.BLOCK for f in self.flags):
            return Severity.BLOCK.value
        return Severity.WARN.value

    def to_json(self) -> dict[str, Any]:
        """The ``check --jsonl`` line format."""
        return {
            "text": self.text,
            "verdict": self.verdict,
            "flags": [f.to_json() for f in self.flags],
            "rewrite": self.rewrite,
        }
