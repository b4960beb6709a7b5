"""The report's 服务质量 section: a conversation audit's stored figures, per agent and for the team.

Transcript agent names are free text (a 旺旺 nickname or a 工号): a line is shown under the
roster name of the person whose agent ID or name equals it, else under the transcript's name.
The change against the day before is given only when that day was audited too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.audit.service_figures import AgentDayFigures
from bot.reports.figures import person_label
from bot.storage.models import Person

# The figures the section shows and compares, in this order (text labels, JSON keys, CSV columns).
SERVICE_FIGURES = (
    "conversations", "first_response_mean", "first_response_p90", "answered_in_time_share", "unanswered",
    "score_mean",
)


def _rounded(value: float | int | None) -> float | int | None:
    return round(value, 3) if isinstance(value, float) else value


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One agent's (``agent`` None: the team's) service on the report's day."""

    agent: str | None  # the transcript's own name
    person: Person | None  # whose agent ID or name the transcript name is
    today: AgentDayFigures
    before: AgentDayFigures | None  # the day before, when it was audited too

    @property
    def name(self) -> str:
        """As people read it: the roster name (工号) when on the roster, else the transcript's."""
        if self.person is not None:
            return person_label(self.person.name, self.person.agent_id)
        return self.agent or ""

    @property
    def person_id(self) -> int | None:
        return self.person.id if self.person else None

    @property
    def agent_id(self) -> str | None:
        return self.person.agent_id if self.person else None

    def value(self, figure: str) -> float | int | None:
        return getattr(self.today, figure)

    def change(self, figure: str) -> float | int | None:
        """Today minus the day before; None when either is missing."""
        now, then = self.value(figure), getattr(self.before, figure) if self.before else None
        return None if now is None or then is None else now - then

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent, "name": self.name, "person_id": self.person_id, "agent_id": self.agent_id,
            **{figure: _rounded(self.value(figure)) for figure in SERVICE_FIGURES},
            "change_vs_previous_day": {figure: _rounded(self.change(figure)) for figure in SERVICE_FIGURES},
            "worst": [{"conversation": w.conversation, "score": w.score, "reasons": list(w.reasons), "agent": w.agent}
                      for w in self.today.worst],
        }


@dataclass(frozen=True, slots=True)
class ServiceSection:
    team: ServiceLine
    agents: list[ServiceLine]

    def worst(self) -> ServiceLine | None:
        """The agent a lead should look at first: the lowest mean score, then the fewest answered
        in time; None when every agent served without a fault."""
        def faulty(line: ServiceLine) -> bool:
            f = line.today
            return (f.score_mean is not None and f.score_mean < 100) or f.unanswered > 0 or \
                f.answered_in_time < f.customer_messages

        candidates = [line for line in self.agents if faulty(line)]
        return min(candidates, key=lambda line: (
            line.today.score_mean if line.today.score_mean is not None else 100.0,
            line.today.answered_in_time_share if line.today.answered_in_time_share is not None else 1.0,
            line.name), default=None)

    def to_json(self) -> dict[str, Any]:
        return {"team": self.team.to_json(), "agents": [line.to_json() for line in self.agents]}


def _roster_match(people: Sequence[Person]) -> dict[str, Person]:
    """Transcript name → person: an agent ID wins over a name, an active person over a removed one."""
    match: dict[str, Person] = {}
    for person in sorted(people, key=lambda p: p.active):  # the active ones last: they win
        match[person.name] = person
    for person in sorted(people, key=lambda p: p.active):
        if person.agent_id:
            match[person.agent_id] = person
    return match


def service_section(today: Sequence[AgentDayFigures], before: Sequence[AgentDayFigures],
                    people: Sequence[Person]) -> ServiceSection | None:
    """The section from one day's stored rows (and the day before's); None when the day was not audited."""
    team = next((f for f in today if f.agent is None), None)
    if team is None:
        return None
    earlier = {f.agent: f for f in before}
    match = _roster_match(people)
    agents = []
    for figures in today:
        if figures.agent is None:
            continue
        agents.append(ServiceLine(figures.agent, match.get(figures.agent), figures, earlier.get(figures.agent)))
    agents.sort(key=lambda line: (line.agent_id or "~", line.name))
    return ServiceSection(ServiceLine(None, None, team, earlier.get(None)), agents)
