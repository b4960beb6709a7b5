"""The practice runs: which scenario, which turn, the replies so far — in the database, read at
every reply, so that a run survives a restart and any replica can take the next reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.errors import UserError
from bot.knowledge.store import KnowledgeStore
from bot.practice.grading import Grader, ReplyGrade, Score
from bot.practice.scenarios import Scenario, load_scenarios
from bot.roster.people import Member
from bot.storage.db import Database

MAX_REPLY_CHARS = 500
IDLE = timedelta(minutes=30)  # a run left this long is over: the trainee's next text is a draft again


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


@dataclass(frozen=True, slots=True)
class Replied:
    grade: ReplyGrade
    session: Session
    score: Score | None  # when this reply was the last


class PracticeDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, scenarios: tuple[Scenario, ...] | None = None) -> None:
        self.db = db
        self.knowledge = knowledge
        self.scenarios = load_scenarios(knowledge.directory) if scenarios is None else scenarios

    def reload(self, directory: Path) -> None:
        self.scenarios = load_scenarios(directory)

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise UserError("practice.unknown", given=scenario_id)

    async def start(self, member: Member, scenario_id: str, now: datetime) -> Session:
        """A new run for the member (replacing any earlier one)."""
        scenario = self.scenario(scenario_id)
        async with self.db.transaction() as repos:
            await repos.practice.start(member.id, scenario.id, now)
        return Session(scenario)

    async def reply(self, member: Member, text: str, now: datetime) -> Replied:
        """Grade the member's reply in their run; the run ends (and is deleted) with the last one."""
        text = text.strip()
        if not text or len(text) > MAX_REPLY_CHARS:
            raise UserError("practice.bad_reply", limit=MAX_REPLY_CHARS)
        async with self.db.transaction() as repos:
            row = await repos.practice.get(member.id, lock=True)
            if row is None or row.updated_at <= now - IDLE:
                raise UserError("practice.not_running")
            session = Session(self.scenario(row.scenario_id), [*row.replies, text])
            grade = self._grader().grade(len(session.replies), text)
            if session.finished:
                await repos.practice.remove(member.id)
                return Replied(grade, session, self._grader().score(session.scenario, session.replies))
            row.replies, row.updated_at = session.replies, now
            return Replied(grade, session, None)

    async def cancel(self, member: Member) -> bool:
        async with self.db.transaction() as repos:
            return await repos.practice.remove(member.id)

    def _grader(self) -> Grader:
        loaded = self.knowledge.current
        return Grader(loaded.knowledge, loaded.checker)
