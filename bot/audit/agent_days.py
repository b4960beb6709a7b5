"""Conversations summed up per agent and per transcript day (and for the whole team).

Memory grows with the agent-days, never with the messages: per agent-day a handful of counters,
the first-response times (8 bytes each: the p90 needs them all; a day of a busy shop is some
hundred thousand conversations) and the three worst conversations.
"""

from __future__ import annotations

import math
from array import array
from datetime import date

from bot.audit.service_figures import AgentDayFigures, ConversationFigures, WorstConversation

WORST = 3  # conversations a lead is shown per agent-day
MAX_REASONS = 3


class _Day:
    __slots__ = ("conversations", "answered", "first_responses", "customer_messages", "answered_in_time",
                 "unanswered", "agent_messages", "flags", "score_sum", "worst")

    def __init__(self) -> None:
        self.conversations = self.answered = self.customer_messages = self.answered_in_time = 0
        self.unanswered = self.agent_messages = self.flags = 0
        self.score_sum = 0.0
        self.first_responses = array("d")
        self.worst: list[tuple[float, int, WorstConversation]] = []

    def add(self, figures: ConversationFigures, order: int, full_score: float) -> None:
        self.conversations += 1
        if figures.first_response_seconds is not None:
            self.answered += 1
            self.first_responses.append(figures.first_response_seconds)
        self.customer_messages += figures.customer_messages
        self.answered_in_time += figures.answered_in_time
        self.unanswered += figures.unanswered
        self.agent_messages += figures.agent_messages
        self.flags += figures.flags
        self.score_sum += figures.score
        if figures.score < full_score and (len(self.worst) < WORST or figures.score < self.worst[-1][0]):
            reasons = tuple(dict.fromkeys(p.detail for p in figures.problems))[:MAX_REASONS]
            self.worst.append((figures.score, order, WorstConversation(figures.conversation, figures.score, reasons, figures.agent)))
            self.worst.sort(key=lambda w: (w[0], w[1]))
            del self.worst[WORST:]

    def figures(self, agent: str | None, day: date) -> AgentDayFigures:
        times = sorted(self.first_responses)
        return AgentDayFigures(
            agent=agent, day=day, conversations=self.conversations, answered=self.answered,
            first_response_mean=round(sum(times) / len(times), 1) if times else None,
            first_response_p90=p90(times),
            customer_messages=self.customer_messages, answered_in_time=self.answered_in_time,
            unanswered=self.unanswered, agent_messages=self.agent_messages, flags=self.flags,
            score_mean=round(self.score_sum / self.conversations, 1) if self.conversations else None,
            worst=tuple(w for _, _, w in self.worst),
        )


def p90(ordered: list[float]) -> float | None:
    """The 90th percentile by nearest rank: the value 90 % of the conversations are within."""
    if not ordered:
        return None
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1)


class AgentDays:
    """Adds up closed conversations; :meth:`figures` gives the rows, team rows (agent None) first."""

    def __init__(self, full_score: float) -> None:
        self.full_score = full_score
        self._days: dict[date, dict[str | None, _Day]] = {}  # day → agent (None: the team) → sums
        self._order = 0

    def would_list(self, agent: str, day: date, score: float) -> bool:
        """Whether a conversation of ``agent`` on ``day`` with ``score`` would make a worst list
        (the team's or the agent's): only then are its reasons needed."""
        if score >= self.full_score:
            return False
        agents = self._days.get(day, {})
        for found in (agents.get(None), agents.get(agent)):
            if found is None or len(found.worst) < WORST or score < found.worst[-1][0]:
                return True
        return False

    def add(self, figures: ConversationFigures) -> None:
        if figures.day is None:
            return
        self._order += 1
        agents = self._days.get(figures.day)
        if agents is None:
            agents = self._days[figures.day] = {}
        for agent in (None, figures.agent):
            day = agents.get(agent)
            if day is None:
                day = agents[agent] = _Day()
            day.add(figures, self._order, self.full_score)

    def figures(self) -> list[AgentDayFigures]:
        return [agents[agent].figures(agent, day)
                for day, agents in sorted(self._days.items())
                for agent in sorted(agents, key=lambda a: (a is not None, a or ""))]
