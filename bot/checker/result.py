"""What a check says about a draft: flags, a verdict and the draft rewritten."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.knowledge.models import Severity

VERDICT_OK = "ok"


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
        }


@dataclass(slots=True)
class CheckResult:
    text: str
    flags: tuple[Flag, ...] = ()
    rewrite: str | None = None

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
