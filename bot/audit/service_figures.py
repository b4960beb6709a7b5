"""Service-quality figures of a conversation audit: what the audit produces and the report reads.

The conversation audit (质检 of whole conversations) measures the service the handbooks set in
numbers — greet within the greeting limit, never leave a customer waiting past the answer
limit — beside the banned-phrase flags. It hands its results on in these shapes: one
:class:`ConversationFigures` per conversation (the ``--conversations`` JSON lines) and one
:class:`AgentDayFigures` per agent per transcript day (stored, and read by the daily report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One deduction: which quality rule (``quality.yaml`` id), when, and what happened."""

    rule: str
    at: str | None  # the transcript's own time of the message concerned
    detail: str  # Chinese, for people

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "at": self.at, "detail": self.detail}


@dataclass(slots=True)
class ConversationFigures:
    """One conversation, measured; ``first_response_seconds`` is None when never answered,
    ``greeted_in_time`` None when the customer never wrote (the agent opened and nobody replied)."""

    conversation: str
    agent: str  # the agent who answered first (or the only one); "-" when nobody answered
    day: date | None  # the transcript's date of the conversation's first message
    started: str | None = None  # the transcript's time of its first message
    customer_messages: int = 0
    answered_in_time: int = 0  # customer messages answered within the limit (see AgentDayFigures)
    agent_messages: int = 0
    first_response_seconds: float | None = None
    greeted_in_time: bool | None = False
    waits_over_limit: int = 0
    longest_wait_seconds: float | None = None
    unanswered: bool = False
    long_messages: int = 0
    flags: int = 0
    score: float = 100.0
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "conversation": self.conversation, "agent": self.agent,
            "day": self.day.isoformat() if self.day else None, "started": self.started,
            "customer_messages": self.customer_messages, "answered_in_time": self.answered_in_time,
            "agent_messages": self.agent_messages,
            "first_response_seconds": self.first_response_seconds,
            "greeted_in_time": self.greeted_in_time, "waits_over_limit": self.waits_over_limit,
            "longest_wait_seconds": self.longest_wait_seconds, "unanswered": self.unanswered,
            "long_messages": self.long_messages, "flags": self.flags, "score": self.score,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class WorstConversation:
    """A conversation a lead should open first, with why (the deductions' details)."""

    conversation: str
    score: float
    reasons: tuple[str, ...]
    agent: str = "-"  # whose it is (the team's worst name the agent)


@dataclass(frozen=True, slots=True)
class AgentDayFigures:
    """One agent's (``agent`` None: the whole transcript's) service on one transcript day.

    ``answered_in_time`` counts customer messages answered within the answer limit, out of
    ``customer_messages``; ``unanswered`` counts conversations that end with the customer
    waiting. Means are None when there is nothing to average.
    """

    agent: str | None
    day: date
    conversations: int
    answered: int  # conversations with a first response
    first_response_mean: float | None
    first_response_p90: float | None
    customer_messages: int
    answered_in_time: int
    unanswered: int
    agent_messages: int
    flags: int
    score_mean: float | None
    worst: tuple[WorstConversation, ...] = ()

    @property
    def answered_in_time_share(self) -> float | None:
        return self.answered_in_time / self.customer_messages if self.customer_messages else None

    @property
    def flags_per_100(self) -> float | None:
        return 100 * self.flags / self.agent_messages if self.agent_messages else None
