"""The practice sessions: which scenario, which turn, the replies so far (kept per trainee)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import UserError
from bot.knowledge.store import KnowledgeStore
from bot.practice.grading import Grader, ReplyGrade, Score
from bot.practice.scenarios import Scenario, load_scenarios

MAX_REPLY_CHARS = 500


@dataclass
class Session:
    scenario: Scenario
    replies: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return len(self.replies) >= len(self.scenario.customer)

    @property
    def customer_says(self) -> str:
        return self.scenario.customer[len(self.replies)]


class PracticeDesk:
    def __init__(self, knowledge: KnowledgeStore, scenarios: tuple[Scenario, ...] | None = None) -> None:
        self.knowledge = knowledge
        self.scenarios = load_scenarios(knowledge.directory) if scenarios is None else scenarios

    def reload(self, directory: Path) -> None:
        self.scenarios = load_scenarios(directory)

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise UserError("practice.unknown", given=scenario_id)

    def start(self, scenario_id: str) -> Session:
        return Session(self.scenario(scenario_id))

    def _grader(self) -> Grader:
        loaded = self.knowledge.current
        return Grader(loaded.knowledge, loaded.checker)

    def reply(self, session: Session, text: str) -> ReplyGrade:
        text = text.strip()
        if not text or len(text) > MAX_REPLY_CHARS:
            raise UserError("practice.bad_reply", limit=MAX_REPLY_CHARS)
        session.replies.append(text)
        return self._grader().grade(len(session.replies), text)

    def score(self, session: Session) -> Score:
        return self._grader().score(session.scenario, session.replies)
