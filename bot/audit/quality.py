"""``knowledge/quality.yaml``: the service limits and deductions of the conversation audit.

The handbooks set the service in numbers (greet within 25 s, never leave a customer waiting
more than 20 s, split long answers, call the customer 亲/您); the file holds those numbers and
what each shortfall costs, each beside the passage it comes from, so a supervisor can read why
and change how much. The rule ids are fixed — the audit measures each one its own way — and
each must be there once. A broken file is a :class:`KnowledgeError` naming file and line in
Chinese, and a version of the knowledge like any other file (validated, cached, reloaded);
:mod:`bot.audit.quality_file` reads it (apart, so a cached start never imports the YAML reader).
"""

from __future__ import annotations

from dataclasses import dataclass

FILE = "quality.yaml"

# Rule id → the measure it needs besides points (None: nothing else).
LATE_GREETING, SLOW_ANSWER, UNANSWERED = "late_greeting", "slow_answer", "unanswered"
LONG_MESSAGE, NO_ADDRESS, BANNED_BLOCK, BANNED_WARN = "long_message", "no_address", "banned_block", "banned_warn"
MEASURES: dict[str, str | None] = {
    LATE_GREETING: "limit_seconds", SLOW_ANSWER: "limit_seconds", UNANSWERED: None,
    LONG_MESSAGE: "limit_chars", NO_ADDRESS: "words", BANNED_BLOCK: None, BANNED_WARN: None,
}


@dataclass(frozen=True, slots=True)
class QualityRule:
    """One deduction: ``points`` each time, at most ``max_points`` in one conversation."""

    id: str
    name: str
    points: float
    max_points: float | None
    source: str
    quote: str
    limit: float | None = None  # seconds or characters, as the rule measures
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quality:
    """The whole file, typed: what the conversation audit reads."""

    idle_minutes: float
    score: float
    rules: dict[str, QualityRule]

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60

    @property
    def greeting_seconds(self) -> float:
        return self.rules[LATE_GREETING].limit  # type: ignore[return-value]

    @property
    def answer_seconds(self) -> float:
        return self.rules[SLOW_ANSWER].limit  # type: ignore[return-value]

    @property
    def message_chars(self) -> int:
        return int(self.rules[LONG_MESSAGE].limit)  # type: ignore[arg-type]

    @property
    def address_words(self) -> tuple[str, ...]:
        return self.rules[NO_ADDRESS].words

    def name(self, rule: str) -> str:
        return self.rules[rule].name
